using StackExchange.Redis;

namespace Warehouse.Messaging;

/// <summary>
/// What an unreachable Redis looks like to a client. Publishing never fails a request (notifications are best
/// effort), but anything else a request asks of Redis answers 503 naming it rather than 500.
/// </summary>
public static class RedisOutage
{
    /// <summary>The dependency's name in problem details and logs.</summary>
    public const string Dependency = "redis";

    public static bool Is(Exception exception) =>
        exception is RedisConnectionException or RedisTimeoutException or MessageBusUnavailableException
        || (exception.InnerException is { } inner && Is(inner));
}
