using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Warehouse.ServiceDefaults.Messaging;

/// <summary>
/// StackExchange.Redis 1.2.6 behind <see cref="IMessageBus"/>. It connects lazily and never aborts on a failed
/// connect, so a service starts (degraded) while Redis is down and recovers by itself when Redis returns.
/// </summary>
internal sealed class RedisMessageBus : IMessageBus, IDisposable
{
    private readonly Lazy<ConnectionMultiplexer> _connection;
    private readonly ILogger<RedisMessageBus> _logger;
    private readonly List<ChannelWriter<RedisValue>> _subscriptions = [];

    public RedisMessageBus(string connectionString, ILogger<RedisMessageBus> logger)
    {
        _logger = logger;
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        options.ConnectRetry = 1;
        options.KeepAlive = 5;
        _connection = new Lazy<ConnectionMultiplexer>(() =>
        {
            var connection = ConnectionMultiplexer.Connect(options);

            // 1.x defaults to completing every async call in order on one thread, which made that thread run the
            // rest of every request that published (a few hundred requests/s at most). Subscriptions keep their
            // order through their own queue below instead.
            connection.PreserveAsyncOrder = false;
            return connection;
        });
    }

    public async Task PublishAsync(string channel, string message)
    {
        try
        {
            // Notifications are best effort (clients resynchronise on a sequence gap), so the publisher does not wait
            // for Redis to acknowledge: one completion fewer per request. A fire-and-forget command on a dropped
            // connection is discarded silently, hence the explicit check, which keeps a lost notification logged.
            var connection = _connection.Value;
            if (!connection.IsConnected)
            {
                throw new MessageBusUnavailableException($"Redis is not connected; nothing was published to '{channel}'", null);
            }

            await connection.GetSubscriber().PublishAsync(channel, message, CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new MessageBusUnavailableException($"Could not publish to Redis channel '{channel}'", ex);
        }
    }

    /// <summary>Messages are handled one at a time, in the order Redis delivered them.</summary>
    public async Task SubscribeAsync(string channel, Func<string, Task> handler)
    {
        var queue = Channel.CreateUnbounded<RedisValue>(new UnboundedChannelOptions { SingleReader = true });
        lock (_subscriptions)
        {
            _subscriptions.Add(queue.Writer);
        }

        await _connection.Value.GetSubscriber().SubscribeAsync(channel, (_, value) => queue.Writer.TryWrite(value));
        _ = Task.Run(async () =>
        {
            await foreach (var value in queue.Reader.ReadAllAsync())
            {
                await Dispatch(handler, value);
            }
        });
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connection = _connection.Value;
            if (!connection.IsConnected)
            {
                return false;
            }

            await connection.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        lock (_subscriptions)
        {
            _subscriptions.ForEach(writer => writer.TryComplete());
        }

        if (_connection.IsValueCreated)
        {
            _connection.Value.Dispose();
        }
    }

    private async Task Dispatch(Func<string, Task> handler, RedisValue value)
    {
        try
        {
            await handler(value.ToString());
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "A notification handler failed");
        }
    }
}
