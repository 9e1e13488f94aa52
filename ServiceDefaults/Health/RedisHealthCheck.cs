using Microsoft.Extensions.Diagnostics.HealthChecks;
using Warehouse.ServiceDefaults.Messaging;

namespace Warehouse.ServiceDefaults.Health;

/// <summary>Redis only carries notifications: losing it degrades realtime delivery, the REST API keeps working.</summary>
internal sealed class RedisHealthCheck(IMessageBus bus) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await bus.PingAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : new HealthCheckResult(context.Registration.FailureStatus, "Redis is unreachable: realtime notifications are not delivered");
}
