using AppHost.Infrastructure;
using AppHost.Operations;
using AppHost.Services;
using Warehouse.Contracts.Hosting;
using Warehouse.Contracts.Security;

namespace AppHost.Extensions;

internal static class ServiceExtensions
{
    /// <summary>
    /// A platform service as <c>AppHost:Replicas:&lt;name&gt;</c> copies (<see cref="PlatformService"/>). Each copy: its
    /// "http" endpoint, its readiness check, its telemetry name (the service's: job = service name is the metric
    /// contract), the JWT settings, and its fault switches as dashboard commands. A service whose "http" port is public
    /// (the gateway) gets a second, internal "management" port (<paramref name="managementSeedPort"/>) for
    /// <c>/health</c>, <c>/alive</c> and <c>/metrics</c>: the service answers them there only (ServiceDefaults'
    /// ManagementPort), and the readiness check, Prometheus and the blackbox probes use it. A deployment runs one
    /// resource with the platform's replica count instead (<c>WithReplicas</c>): its own load balancer spreads requests.
    /// </summary>
    public static PlatformService AddService<TProject>(
        this IDistributedApplicationBuilder builder,
        string name,
        int seedPort,
        IResourceBuilder<ParameterResource> jwtSigningKey,
        string dataDirectory,
        int? managementSeedPort = null)
        where TProject : IProjectMetadata, new()
    {
        var count = ReplicaCount.Of(builder.Configuration, name);
        if (!builder.ExecutionContext.IsRunMode)
        {
            var deployed = builder.AddServiceCopy<TProject>(name, name, 1, seedPort, jwtSigningKey, dataDirectory, managementSeedPort);
            return new(name, [count > 1 ? deployed.WithReplicas(count) : deployed]);
        }

        return new(name, [.. Enumerable.Range(1, count).Select(copy => builder.AddServiceCopy<TProject>(
            name, copy == 1 ? name : $"{name}-{copy}", copy, seedPort, jwtSigningKey, dataDirectory, managementSeedPort))]);
    }

    private static IResourceBuilder<ProjectResource> AddServiceCopy<TProject>(
        this IDistributedApplicationBuilder builder,
        string service,
        string name,
        int copy,
        int seedPort,
        IResourceBuilder<ParameterResource> jwtSigningKey,
        string dataDirectory,
        int? managementSeedPort)
        where TProject : IProjectMetadata, new()
    {
        var offset = ReplicaCount.PortStride * (copy - 1);
        var resource = builder.AddProject<TProject>(name)
            .WithAnnotation(new ServiceCopyAnnotation(service))
            // Created when the launch profile has no "http" URL. Locally the service listens on the seed port people
            // know, itself: the orchestrator's proxy would add a hop to every request (measured: the bench with and without --proxied).
            // Tests get random ports behind the proxy; a deployment assigns its own.
            .WithSeededHttpEndpoint("http", seedPort + offset)
            // Aspire sets the resource's name in run mode; every copy reports as its service.
            .WithEnvironment("OTEL_SERVICE_NAME", service)
            // Configuration comes from the environment; watching appsettings.json for changes costs an inotify instance
            // per process, and with the user's 128 in use (Prometheus holds one per file_sd job) a service died at start.
            .WithEnvironment("DOTNET_hostBuilder__reloadConfigOnChange", "false")
            .WithEnvironment("Jwt__Issuer", JwtOptions.PlatformIssuer)
            .WithEnvironment("Jwt__Audience", JwtOptions.PlatformAudience)
            .WithEnvironment("Jwt__SigningKey", jwtSigningKey);

        if (managementSeedPort is { } managementPort)
        {
            resource.WithSeededHttpEndpoint(EndpointNames.Management, managementPort + offset)
                .WithEnvironment("Management__Port", resource.GetEndpoint(EndpointNames.Management).Property(EndpointProperty.TargetPort));
        }

        resource.WithHttpHealthCheck("/health", endpointName: managementSeedPort is null ? EndpointNames.Http : EndpointNames.Management);
        return builder.ExecutionContext.IsRunMode
            ? resource.WithBuildOutputLaunch().WithFaultSwitches(Path.Combine(dataDirectory, "faults"))
            : resource;
    }

    /// <summary>The service <paramref name="copy"/> is a copy of (its own name for a resource that is no copy).</summary>
    public static string ServiceName(this IResourceBuilder<ProjectResource> copy) =>
        copy.Resource.Annotations.OfType<ServiceCopyAnnotation>().FirstOrDefault()?.Service ?? copy.Resource.Name;

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
