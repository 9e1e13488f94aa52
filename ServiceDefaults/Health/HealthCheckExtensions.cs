using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Warehouse.ServiceDefaults.Health;

public static class HealthCheckExtensions
{
    public const string LiveTag = "live";

    public static IHealthChecksBuilder AddPostgresCheck(this IHealthChecksBuilder checks) =>
        checks.AddCheck<PostgresHealthCheck>("postgres", HealthStatus.Unhealthy, timeout: TimeSpan.FromSeconds(3));

    public static IHealthChecksBuilder AddRedisCheck(this IHealthChecksBuilder checks) =>
        checks.AddCheck<RedisHealthCheck>("redis", HealthStatus.Degraded, timeout: TimeSpan.FromSeconds(3));
}
