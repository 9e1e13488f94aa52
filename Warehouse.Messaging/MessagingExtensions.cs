using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using Warehouse.ServiceDefaults.Http;

namespace Warehouse.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// The Redis client from <c>ConnectionStrings:{connectionName}</c> (Aspire.StackExchange.Redis: traces, logging)
    /// and the bus on top of it. Redis only carries notifications: losing it degrades realtime delivery while the
    /// REST API keeps working, so its health check reports Degraded, not Unhealthy.
    /// </summary>
    public static IHostApplicationBuilder AddRedisMessageBus(this IHostApplicationBuilder builder, string connectionName)
    {
        builder.AddRedisClient(
            connectionName,
            settings => settings.DisableHealthChecks = true,
            options =>
            {
                // Fail fast while Redis is down (a lost notification is logged, the request goes on), and notice a
                // dead connection within seconds.
                options.AbortOnConnectFail = false;
                options.ConnectTimeout = 2000;
                options.SyncTimeout = 2000;
                options.ConnectRetry = 1;
                options.KeepAlive = 5;
            });

        builder.Services.AddSingleton<IMessageBus, RedisMessageBus>();
        builder.Services.AddDependencyOutage(RedisOutage.Dependency, RedisOutage.Is);
        builder.Services.AddHealthChecks().AddRedis(
            sp => sp.GetRequiredService<IConnectionMultiplexer>(),
            name: RedisOutage.Dependency,
            failureStatus: HealthStatus.Degraded,
            timeout: TimeSpan.FromSeconds(3));
        return builder;
    }
}
