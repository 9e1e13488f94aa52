using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Warehouse.Messaging;

/// <summary>
/// Redis pub/sub behind <see cref="IMessageBus"/>, on the multiplexer Aspire.StackExchange.Redis registers. That
/// connection never aborts on a failed connect, so a service starts (degraded) while Redis is down and recovers
/// by itself when Redis returns.
/// </summary>
internal sealed class RedisMessageBus(IConnectionMultiplexer connection, ILogger<RedisMessageBus> logger) : IMessageBus
{
    public async Task PublishAsync(string channel, string message)
    {
        try
        {
            // Notifications are best effort (clients resynchronise on a sequence gap), so the publisher does not wait
            // for Redis to acknowledge: one completion fewer per request. A fire-and-forget command on a dropped
            // connection is discarded silently, hence the explicit check, which keeps a lost notification logged.
            if (!connection.IsConnected)
            {
                throw new MessageBusUnavailableException($"Redis is not connected; nothing was published to '{channel}'", null);
            }

            await connection.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), message, CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new MessageBusUnavailableException($"Could not publish to Redis channel '{channel}'", ex);
        }
    }

    /// <summary>Messages are handled one at a time, in the order Redis delivered them (the client's message queue).</summary>
    public async Task SubscribeAsync(string channel, Func<string, Task> handler)
    {
        var queue = await connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(channel));
        queue.OnMessage(message => Dispatch(handler, message.Message));
    }

    private async Task Dispatch(Func<string, Task> handler, RedisValue value)
    {
        try
        {
            await handler(value.ToString());
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "A notification handler failed");
        }
    }
}
