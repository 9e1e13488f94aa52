using Warehouse.Client;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

public static class HubConnections
{
    /// <summary>A SignalR connection through the gateway, the way a handheld opens it (token in the query string).</summary>
    public static Task<HubClient> ConnectAsync(this PlatformFixture platform, string role, string? warehouse = null) =>
        HubClient.ConnectAsync($"{platform.Gateway}/hubs/tasks", platform.Token(role, warehouse));

    /// <summary>The shipped .NET client following <paramref name="warehouse"/> through the gateway; reconnects within a second.</summary>
    public static Task<WarehouseTaskView> StartViewAsync(this PlatformFixture platform, string role, string warehouse)
    {
        var token = platform.Token(role, warehouse);
        return WarehouseTaskView.StartAsync(new WarehouseClientOptions
        {
            Gateway = new Uri(platform.Gateway),
            WarehouseId = warehouse,
            AccessTokenProvider = () => Task.FromResult<string?>(token),
            MaxReconnectDelay = TimeSpan.FromSeconds(1),
        });
    }
}
