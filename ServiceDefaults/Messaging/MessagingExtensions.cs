using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Warehouse.ServiceDefaults.Health;

namespace Warehouse.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    /// <summary>Registers the Redis-backed bus from <c>ConnectionStrings:{connectionName}</c> and its health check.</summary>
    public static IHostApplicationBuilder AddRedisMessageBus(this IHostApplicationBuilder builder, string connectionName)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{connectionName} is not configured.");
        builder.Services.AddSingleton<IMessageBus>(sp => new RedisMessageBus(connectionString, sp.GetRequiredService<ILogger<RedisMessageBus>>()));
        builder.Services.AddHealthChecks().AddRedisCheck();
        return builder;
    }
}
