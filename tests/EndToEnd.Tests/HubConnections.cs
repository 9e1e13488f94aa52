using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

public static class HubConnections
{
    /// <summary>A SignalR connection through the gateway, the way a handheld opens it (token in the query string).</summary>
    public static Task<HubClient> ConnectAsync(this PlatformFixture platform, string role, string? warehouse = null) =>
        HubClient.ConnectAsync($"{platform.Gateway}/hubs/tasks", platform.Token(role, warehouse));
}
