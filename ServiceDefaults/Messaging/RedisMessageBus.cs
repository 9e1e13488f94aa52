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

    public RedisMessageBus(string connectionString, ILogger<RedisMessageBus> logger)
    {
        _logger = logger;
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        options.ConnectRetry = 1;
        options.KeepAlive = 5;
        _connection = new Lazy<ConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(options));
    }

    public async Task PublishAsync(string channel, string message)
    {
        try
        {
            await _connection.Value.GetSubscriber().PublishAsync(channel, message);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new MessageBusUnavailableException($"Could not publish to Redis channel '{channel}'", ex);
        }
    }

    public Task SubscribeAsync(string channel, Func<string, Task> handler) =>
        _connection.Value.GetSubscriber().SubscribeAsync(channel, (channel, value) => _ = Dispatch(handler, value));

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
