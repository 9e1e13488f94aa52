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
        builder.AddFailFastRedisClient(connectionName);
        builder.Services.AddSingleton<IMessageBus, RedisMessageBus>();
        builder.Services.AddDependencyOutage(RedisOutage.Dependency, RedisOutage.Is);
        builder.Services.AddHealthChecks().AddRedis(
            sp => sp.GetRequiredService<IConnectionMultiplexer>(),
            name: RedisOutage.Dependency,
            failureStatus: HealthStatus.Degraded,
            timeout: TimeSpan.FromSeconds(3));
        return builder;
    }

    /// <summary>
    /// The platform's Redis client: a service never waits on Redis. While it is down, commands fail fast (a lost
    /// notification is logged, a rate limit falls back to the gateway's own) and a dead connection is noticed within
    /// seconds. No health check of its own: each user of Redis reports what losing it means.
    /// </summary>
    public static IHostApplicationBuilder AddFailFastRedisClient(this IHostApplicationBuilder builder, string connectionName)
    {
        builder.AddRedisClient(
            connectionName,
            settings => settings.DisableHealthChecks = true,
            options =>
            {
                options.AbortOnConnectFail = false;
                options.ConnectTimeout = 2000;
                options.SyncTimeout = 2000;
                options.ConnectRetry = 1;
                options.KeepAlive = 5;
            });
        return builder;
    }
}
