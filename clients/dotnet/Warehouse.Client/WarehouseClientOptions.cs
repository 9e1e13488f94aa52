namespace Warehouse.Client;

/// <summary>Where the platform is, who the client is, and which warehouse it follows.</summary>
public sealed class WarehouseClientOptions
{
    /// <summary>The API gateway's base address (REST under <c>/api</c>, the hub at <c>/hubs/tasks</c>).</summary>
    public required Uri Gateway { get; init; }

    /// <summary>The warehouse to follow; the token must cover it.</summary>
    public required string WarehouseId { get; init; }

    /// <summary>Returns a current bearer token; asked for each REST call and each (re)connection.</summary>
    public required Func<Task<string?>> AccessTokenProvider { get; init; }

    /// <summary>The longest wait between reconnection attempts; the client never stops trying while it is open.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>For tests and proxies: the handler under the REST calls and the hub's HTTP requests.</summary>
    public Func<HttpMessageHandler>? HttpMessageHandlerFactory { get; init; }
}
