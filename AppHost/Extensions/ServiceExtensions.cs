namespace AppHost.Extensions;

internal static class ServiceExtensions
{
    private const string JwtIssuer = "warehouse-platform";
    private const string JwtAudience = "warehouse-api";

    /// <summary>
    /// A platform service: its "http" endpoint, its readiness check, its telemetry name and the JWT settings.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddService<TProject>(
        this IDistributedApplicationBuilder builder,
        string name,
        int seedPort,
        IResourceBuilder<ParameterResource> jwtSigningKey)
        where TProject : IProjectMetadata, new()
    {
        var isRunMode = builder.ExecutionContext.IsRunMode;

        return builder.AddProject<TProject>(name)
            // Created when the launch profile has no "http" URL. Locally the port is the seed port because the
            // blackbox probes in prometheus.apphost.yml use it; a deployment assigns its own.
            .WithEndpoint("http", endpoint =>
            {
                endpoint.UriScheme = "http";
                endpoint.Transport = "http";
                if (isRunMode)
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
    }
}
