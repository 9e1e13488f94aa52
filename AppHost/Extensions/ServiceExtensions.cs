using AppHost.Infrastructure;
using AppHost.Operations;

namespace AppHost.Extensions;

internal static class ServiceExtensions
{
    public const string JwtIssuer = "warehouse-platform";
    public const string JwtAudience = "warehouse-api";

    /// <summary>
    /// A platform service: its "http" endpoint, its readiness check, its telemetry name, the JWT settings, and its
    /// fault switches as dashboard commands.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddService<TProject>(
        this IDistributedApplicationBuilder builder,
        string name,
        int seedPort,
        IResourceBuilder<ParameterResource> jwtSigningKey,
        string dataDirectory)
        where TProject : IProjectMetadata, new()
    {
        var isRunMode = builder.ExecutionContext.IsRunMode;
        var fixedPort = SeedPorts.Fixed(builder, seedPort);

        var service = builder.AddProject<TProject>(name)
            // Created when the launch profile has no "http" URL. Locally the service listens on the seed port people
            // know, itself: the orchestrator's proxy would add a hop to every request (measured: bench/README.md).
            // Tests get random ports behind the proxy; a deployment assigns its own.
            .WithEndpoint("http", endpoint =>
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
            })
            .WithHttpHealthCheck("/health")
            // Aspire sets the same value in run mode; explicit, because job = service name is the metric contract.
            .WithEnvironment("OTEL_SERVICE_NAME", name)
            .WithEnvironment("Jwt__Issuer", JwtIssuer)
            .WithEnvironment("Jwt__Audience", JwtAudience)
            .WithEnvironment("Jwt__SigningKey", jwtSigningKey);

        return isRunMode ? service.WithFaultSwitches(Path.Combine(dataDirectory, "faults")) : service;
    }
}
