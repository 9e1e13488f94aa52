using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Warehouse.ServiceDefaults.Telemetry.Prometheus;

namespace Warehouse.ServiceDefaults.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>Meters emitted natively by .NET (no instrumentation packages needed) plus the platform's own.</summary>
    public static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.RateLimiting",
        "Microsoft.AspNetCore.Authentication",
        "System.Net.Http",
        "System.Runtime",
        "Npgsql",
        "Warehouse.*",
    ];

    public static readonly string[] ActivitySources = ["Microsoft.AspNetCore", "System.Net.Http", "Npgsql"];

    /// <summary>
    /// Wires metrics, traces and logs through <see cref="OpenTelemetrySdk.Create"/> because
    /// OpenTelemetry.Extensions.Hosting is missing from the package feed; the host owns the SDK's lifetime.
    /// </summary>
    public static IHostApplicationBuilder ConfigureOpenTelemetry(this IHostApplicationBuilder builder)
    {
        var otlpEnabled = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"];
        var scrapeExporter = new PrometheusScrapeExporter();

        var sdk = OpenTelemetrySdk.Create(otel =>
        {
            if (string.IsNullOrWhiteSpace(serviceName))
            {
                otel.ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName.ToLowerInvariant()));
            }

            otel.WithMetrics(metrics => metrics.AddMeter(Meters).AddView(PrometheusLintViews.Select).AddReader(scrapeExporter.Reader));
            if (otlpEnabled)
            {
                // Spans are only recorded when there is a collector to send them to: without one, every request
                // would build activities (ASP.NET Core, HttpClient, Npgsql) for nothing.
                otel.WithTracing(tracing => tracing.AddSource(ActivitySources).AddProcessor(new HealthRequestFilter()));
                otel.UseOtlpExporter();
            }
        });

        builder.Services.AddSingleton(scrapeExporter);
        builder.Services.AddHostedService(_ => new OpenTelemetryLifetime(sdk));

        if (otlpEnabled)
        {
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
                logging.AddOtlpExporter();
            });
        }

        return builder;
    }
}
