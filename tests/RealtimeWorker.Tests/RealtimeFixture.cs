using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Warehouse.Contracts.Notifications;
using Warehouse.RealtimeWorker.Hubs;
using Warehouse.RealtimeWorker.Relay;
using Warehouse.Messaging;
using Warehouse.Testing;

namespace Warehouse.RealtimeWorker.Tests;

public sealed class RealtimeFixture : ServiceFixture<Program>
{
    public const string SentinelType = "test_sentinel";

    public IMessageBus Bus => Factory.Services.GetRequiredService<IMessageBus>();

    /// <summary>A hub connection over the test server's WebSocket, token in the query string as browsers send it.</summary>
    public async Task<HubClient> ConnectAsync(string token)
    {
        var client = await HubClient.ConnectAsync(Factory.Server, TasksHub.Path, token);
        // The handshake completes before the hub's OnConnectedAsync (which joins the groups) has run; the server
        // dispatches invocations only after it, so once this call returns the connection is fully set up.
        await client.InvokeAsync(nameof(TasksHub.LeaveWarehouse), "none");
        return client;
    }

    /// <summary>
    /// Relays <paramref name="notification"/> as if it came from Redis and, once it is written to its recipients, sends
    /// every connection a sentinel. A client's next message is the notification if it was a recipient and the sentinel
    /// if not: absence proven without waiting for a while.
    /// </summary>
    public async Task<Guid> RelayThenSentinelAsync(Notification notification)
    {
        await Factory.Services.GetRequiredService<NotificationRelay>().RelayAsync(notification.ToJson());
        var sentinel = Guid.NewGuid();
        await Factory.Services.GetRequiredService<IHubContext<TasksHub>>().Clients.All
            .SendAsync(NotificationRelay.ClientMethod, Notification.Create(SentinelType, "", 0, new { sentinel }));
        return sentinel;
    }
}

[CollectionDefinition(Name)]
public sealed class RealtimeCollection : ICollectionFixture<RealtimeFixture>
{
    public const string Name = "realtime";
}
