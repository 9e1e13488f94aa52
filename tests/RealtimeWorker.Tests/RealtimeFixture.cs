using Microsoft.Extensions.DependencyInjection;
using Warehouse.RealtimeWorker.Hubs;
using Warehouse.ServiceDefaults.Messaging;
using Warehouse.Testing;

namespace Warehouse.RealtimeWorker.Tests;

public sealed class RealtimeFixture : ServiceFixture<Program>
{
    public IMessageBus Bus => Factory.Services.GetRequiredService<IMessageBus>();

    /// <summary>A hub connection over the test server's WebSocket, token in the query string as browsers send it.</summary>
    public async Task<HubClient> ConnectAsync(string token)
    {
        var socket = await Factory.Server.CreateWebSocketClient()
            .ConnectAsync(new Uri($"ws://localhost{TasksHub.Path}?access_token={token}"), CancellationToken.None);
        return await HubClient.ConnectAsync(socket);
    }
}

[CollectionDefinition(Name)]
public sealed class RealtimeCollection : ICollectionFixture<RealtimeFixture>
{
    public const string Name = "realtime";
}
