using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Warehouse.Hosting.Redis;

namespace Warehouse.Hosting.Monitoring.Exporters;

public static class RedisExporterBuilderExtensions
{
    public const string Image = "oliver006/redis_exporter";

    public const string Tag = "v1.77.0";

    private const int Port = 9121;

    /// <summary>redis_exporter reads the password from its environment, so it stays out of argv (ps, the dashboard).</summary>
    private const string PasswordVariable = "REDIS_PASSWORD";

    /// <summary>
    /// redis_exporter 1.45 from Debian's package (single-dash flags) on <paramref name="redis"/>, started once Redis is
    /// healthy. It reaches Redis through the orchestrator's proxy, which accepts a connection even when the server is
    /// down: a connect timeout under the 10 s scrape timeout turns that into <c>redis_up 0</c>.
    /// </summary>
    public static IResourceBuilder<LocalExporterResource> AddLocalRedisExporter(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        string workingDirectory,
        IResourceBuilder<LocalRedisResource> redis) =>
        builder.AddLocalExporter(name, "/usr/bin/prometheus-redis-exporter", "prometheus-redis-exporter", workingDirectory,
                address =>
                [
                    "-redis.addr", Address(redis.Resource.PrimaryEndpoint),
                    "-web.listen-address", address,
                    "-connection-timeout", "5s",
                ])
            .WithEnvironment(PasswordVariable, redis.Resource.PasswordParameter)
            .WaitFor(redis);

    /// <summary>redis_exporter from its image on <paramref name="redis"/> (its address in <c>REDIS_ADDR</c>), started once Redis is healthy.</summary>
    public static IResourceBuilder<ExporterResource> AddRedisExporter(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        IResourceBuilder<RedisResource> redis)
    {
        var exporter = builder.AddExporter(name, Image, Tag, Port)
            .WithEnvironment("REDIS_ADDR", Address(redis.Resource.PrimaryEndpoint))
            .WaitFor(redis);
        return redis.Resource.PasswordParameter is { } password ? exporter.WithEnvironment(PasswordVariable, password) : exporter;
    }

    private static ReferenceExpression Address(EndpointReference redis) =>
        ReferenceExpression.Create($"redis://{redis.Property(EndpointProperty.HostAndPort)}");
}
