using System.Net.WebSockets;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

public static class HubConnections
{
    /// <summary>A SignalR connection through the gateway, the way a handheld opens it (token in the query string).</summary>
    public static async Task<HubClient> ConnectAsync(this PlatformFixture platform, string role, string? warehouse = null)
    {
        var socket = new ClientWebSocket();
        var gateway = new Uri(platform.Gateway);
        await socket.ConnectAsync(new Uri($"ws://{gateway.Authority}/hubs/tasks?access_token={platform.Token(role, warehouse)}"), CancellationToken.None);
        return await HubClient.ConnectAsync(socket);
    }
}
