using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Warehouse.Hosting.Redis;

public static class LocalRedisBuilderExtensions
{
    /// <summary>
    /// Redis from the installed Debian package: loopback only, a generated and persisted password (in a 0600
    /// config file, so it never shows in <c>ps</c>), no persistence: it carries pub/sub, Postgres is the source of truth.
    /// </summary>
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        string stateDirectory,
        IResourceBuilder<ParameterResource>? password = null,
        int? port = null)
    {
        var passwordParameter = password?.Resource
            ?? ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);
        var redis = new LocalRedisResource(name, LocalBinaries.Require("/usr/bin/redis-server", "redis-server"), DataDirectory.Create(stateDirectory), passwordParameter);

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(redis, async (_, cancellationToken) =>
            DataDirectory.WriteSecretFile(redis.ConfigFile, $"""
                bind 127.0.0.1 -::1
                protected-mode yes
                daemonize no
                dir "{redis.WorkingDirectory}"
                save ""
                appendonly no
                requirepass "{await passwordParameter.GetValueAsync(cancellationToken)}"

                """));

        var connectionString = builder.TrackConnectionString(redis);
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddRedis(_ => connectionString(), name: healthCheckKey);

        return builder.AddResource(redis)
            // A fixed port is the server's own (no proxy hop on the services' hot path); without one the orchestrator
            // allocates a port and proxies it.
            .WithEndpoint(port: port, targetPort: port, name: LocalRedisResource.PrimaryEndpointName, scheme: "tcp", isProxied: port is null)
            .WithArgs(context =>
            {
                context.Args.Add(redis.ConfigFile);
                context.Args.Add("--port");
                context.Args.Add(redis.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
            })
            .WithHealthCheck(healthCheckKey)
            .WithIconName("Memory");
    }
}
