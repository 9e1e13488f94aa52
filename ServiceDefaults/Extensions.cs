using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Warehouse.ServiceDefaults.Health;
using Warehouse.ServiceDefaults.Http;
using Warehouse.ServiceDefaults.Management;
using Warehouse.ServiceDefaults.Telemetry;

namespace Microsoft.Extensions.Hosting;

// Adds common Aspire services: service discovery, resilience, health checks, and OpenTelemetry.
// The platform's additions: its meters and Prometheus views, the /metrics endpoint Prometheus scrapes,
// problem details for every error, and the management port.
public static class Extensions
{
    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";
    private const string MetricsEndpointPath = "/metrics";

    /// <summary>Meters .NET emits itself beyond the instrumentation packages' own, plus the platform's.</summary>
    private static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.RateLimiting",
        "Microsoft.AspNetCore.Authentication",
        "Warehouse.*",
    ];

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Retries only where repeating is safe: a retried POST could create a task twice.
#pragma warning disable EXTEXP0001 // DisableForUnsafeHttpMethods is marked experimental.
            http.AddStandardResilienceHandler(resilience => resilience.Retry.DisableForUnsafeHttpMethods());
#pragma warning restore EXTEXP0001
            http.AddServiceDiscovery();
        });

        // Routing answers a body of the wrong media type with a bare 415 before any handler runs. Every body the
        // platform's APIs take is JSON, except the CSV upload, which checks its own Content-Type.
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType)
            {
                context.ProblemDetails.Detail ??= MediaTypes.UnsupportedDetail("application/json");
            }
        });
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<DependencyOutageExceptionHandler>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OutageLog>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var otel = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(Meters)
                .AddView(MetricViews.Select)
                // Scope labels (otel_scope_name, ...) would add a label to every series of the metric contract.
                .AddPrometheusExporter(prometheus => prometheus.ScopeInfoEnabled = false));

        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // Spans are only worth building when there is somewhere to send them (Aspire always sets an endpoint).
            // Without one, the Npgsql and Redis client integrations would still trace every command: the Redis
            // instrumentation profiles each command under the request's activity. Their documented settings turn
            // that off.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Aspire:Npgsql:DisableTracing"] = "true",
                ["Aspire:StackExchange:Redis:DisableTracing"] = "true",
            });
            return builder;
        }

        // A stopping service flushes each signal, and the exporter's default deadline is 10 s a signal: against a
        // collector that accepts and hangs, a stop took 17 s (measured), beyond the orchestrator's wait (about 12 s
        // for DCP; Kubernetes' default grace is 30 s) and the process was killed. 2 s carries a batch to a nearby
        // collector and bounds the stop at about 8 s. The standard variable still overrides it.
        if (builder.Configuration["OTEL_EXPORTER_OTLP_TIMEOUT"] is null)
        {
            builder.Configuration.AddInMemoryCollection([new("OTEL_EXPORTER_OTLP_TIMEOUT", "2000")]);
        }

        otel.WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = context => !IsProbeOrScrape(context.Request.Path))
                .AddHttpClientInstrumentation())
            .UseOtlpExporter();
        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // A default liveness check to ensure the app is responsive.
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>
    /// The middleware every service runs first, in this order: problem details for exceptions and bare status codes,
    /// the management port's filter, and the single-valued query rule. Call it right after <c>Build()</c>, before
    /// authentication.
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseManagementPort();
        app.UseMiddleware<SingleValuedQuery>();
        return app;
    }

    /// <summary>
    /// The endpoints hosts and Prometheus use: <c>/health</c> (readiness), <c>/alive</c> (liveness) and
    /// <c>/metrics</c>. None of them is routed by the gateway. A service with a public port (the gateway) is given
    /// <c>Management:Port</c>: these endpoints then answer on that port only (<see cref="ManagementPort"/>).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Mapped in every environment: Prometheus's blackbox probes and the hosts' readiness checks use them.
        // The JSON body lists each check, for the gateway's platform health view.
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync })
            .AllowAnonymous().WithMetadata(ManagementPort.Endpoint);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains("live"),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous().WithMetadata(ManagementPort.Endpoint);
        app.MapPrometheusScrapingEndpoint(MetricsEndpointPath).AllowAnonymous().WithMetadata(ManagementPort.Endpoint);

        return app;
    }

    private static bool IsProbeOrScrape(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath) || path.StartsWithSegments(AlivenessEndpointPath) || path.StartsWithSegments(MetricsEndpointPath);
}
