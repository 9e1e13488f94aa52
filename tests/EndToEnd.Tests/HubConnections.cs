using Warehouse.Client;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

public static class HubConnections
{
    /// <summary>A SignalR connection through the gateway, the way a handheld opens it (token in the query string).</summary>
    public static Task<HubClient> ConnectAsync(this PlatformFixture platform, string role, string? warehouse = null) =>
        HubClient.ConnectAsync($"{platform.Gateway}/hubs/tasks", platform.Token(role, warehouse));

    /// <summary>
    /// The shipped .NET client following <paramref name="warehouse"/> through the gateway copy numbered
    /// <paramref name="gateway"/> (wrapping around the copies that run); reconnects within a second.
    /// </summary>
    public static Task<WarehouseTaskView> StartViewAsync(this PlatformFixture platform, string role, string warehouse, int gateway = 0)
    {
        var token = platform.Token(role, warehouse);
        return WarehouseTaskView.StartAsync(new WarehouseClientOptions
        {
            Gateway = new Uri(platform.Gateways[gateway % platform.Gateways.Count]),
            WarehouseId = warehouse,
            AccessTokenProvider = () => Task.FromResult<string?>(token),
            MaxReconnectDelay = TimeSpan.FromSeconds(1),
        });
    }
}
