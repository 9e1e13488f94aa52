namespace Warehouse.Messaging;

/// <summary>Pub/sub for change notifications: the one seam over the Redis client.</summary>
public interface IMessageBus
{
    /// <summary>Publishes a message; throws <see cref="MessageBusUnavailableException"/> when Redis is unreachable.</summary>
    Task PublishAsync(string channel, string message);

    /// <summary>Subscribes for the bus's lifetime; the subscription survives reconnects.</summary>
    Task SubscribeAsync(string channel, Func<string, Task> handler);
}

public sealed class MessageBusUnavailableException(string message, Exception? inner) : Exception(message, inner);
