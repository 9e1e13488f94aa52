namespace Warehouse.ServiceDefaults.Messaging;

/// <summary>
/// Pub/sub for change notifications. The one seam over the Redis client, so that StackExchange.Redis 1.2.6
/// (the only version the package feed restores) can be swapped for 2.x without touching the services.
/// </summary>
public interface IMessageBus
{
    /// <summary>Publishes a message; throws <see cref="MessageBusUnavailableException"/> when Redis is unreachable.</summary>
    Task PublishAsync(string channel, string message);

    /// <summary>Subscribes for the bus's lifetime; the subscription survives reconnects.</summary>
    Task SubscribeAsync(string channel, Func<string, Task> handler);

    Task<bool> PingAsync(CancellationToken cancellationToken);
}

public sealed class MessageBusUnavailableException(string message, Exception? inner) : Exception(message, inner);
