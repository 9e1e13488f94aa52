using AppHost.Infrastructure;
using AppHost.Operations;
using Warehouse.Contracts.Hosting;
using Warehouse.Contracts.Security;

namespace AppHost.Extensions;

internal static class ServiceExtensions
{
    /// <summary>
    /// A platform service: its "http" endpoint, its readiness check, its telemetry name, the JWT settings, and its
    /// fault switches as dashboard commands. A service whose "http" port is public (the gateway) gets a second,
    /// internal "management" port (<paramref name="managementSeedPort"/>) for <c>/health</c>, <c>/alive</c> and
    /// <c>/metrics</c>: the service answers them there only (ServiceDefaults' ManagementPort), and the readiness
    /// check, Prometheus and the blackbox probes use it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddService<TProject>(
        this IDistributedApplicationBuilder builder,
        string name,
        int seedPort,
        IResourceBuilder<ParameterResource> jwtSigningKey,
        string dataDirectory,
        int? managementSeedPort = null)
        where TProject : IProjectMetadata, new()
    {
        var service = builder.AddProject<TProject>(name)
            // Created when the launch profile has no "http" URL. Locally the service listens on the seed port people
            // know, itself: the orchestrator's proxy would add a hop to every request (measured: the bench with and without --proxied).
            // Tests get random ports behind the proxy; a deployment assigns its own.
            .WithSeededHttpEndpoint("http", seedPort)
            // Aspire sets the same value in run mode; explicit, because job = service name is the metric contract.
            .WithEnvironment("OTEL_SERVICE_NAME", name)
            .WithEnvironment("Jwt__Issuer", JwtOptions.PlatformIssuer)
            .WithEnvironment("Jwt__Audience", JwtOptions.PlatformAudience)
            .WithEnvironment("Jwt__SigningKey", jwtSigningKey);

        if (managementSeedPort is { } managementPort)
        {
            service.WithSeededHttpEndpoint(EndpointNames.Management, managementPort)
                .WithEnvironment("Management__Port", service.GetEndpoint(EndpointNames.Management).Property(EndpointProperty.TargetPort));
        }

        service.WithHttpHealthCheck("/health", endpointName: managementSeedPort is null ? EndpointNames.Http : EndpointNames.Management);
        return builder.ExecutionContext.IsRunMode ? service.WithFaultSwitches(Path.Combine(dataDirectory, "faults")) : service;
    }

    /// <summary>
    /// Socket completions run on the socket engine's own thread instead of being queued to the thread pool. For a
    /// service whose request path is asynchronous end to end (the gateway: Kestrel with inline scheduling, YARP), that
    /// saves a pool thread's wake-up and sleep for each read of either socket of a proxied request, most of its CPU
    /// at moderate load (perf: futex waits and wakes, context switches). The runtime reads it only from the environment.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithInlineSocketCompletions(this IResourceBuilder<ProjectResource> service) =>
        service.WithEnvironment("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

    /// <summary>Where a service answers <c>/health</c>, <c>/alive</c> and <c>/metrics</c>: its management endpoint if it has one.</summary>
    public static EndpointReference ManagementEndpoint(this IResourceBuilder<ProjectResource> service) =>
        service.GetEndpoint(service.Resource.Annotations.OfType<EndpointAnnotation>().Any(e => e.Name == EndpointNames.Management)
            ? EndpointNames.Management
            : EndpointNames.Http);

    /// <summary>An http endpoint on the seed port people know when ports are fixed, else a proxied random one.</summary>
    internal static IResourceBuilder<ProjectResource> WithSeededHttpEndpoint(this IResourceBuilder<ProjectResource> service, string name, int seedPort)
    {
        var fixedPort = SeedPorts.Fixed(service.ApplicationBuilder, seedPort);
        var isRunMode = service.ApplicationBuilder.ExecutionContext.IsRunMode;
        return service.WithEndpoint(name, endpoint =>
        {
            endpoint.UriScheme = "http";
            endpoint.Transport = "http";
            if (fixedPort is { } port)
            {
                (endpoint.Port, endpoint.TargetPort, endpoint.IsProxied) = (port, port, false);
            }
            else if (isRunMode)
            {
                endpoint.Port = seedPort;
            }
        });
    }
}
