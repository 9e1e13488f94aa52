using Microsoft.Extensions.DependencyInjection;
using Warehouse.RealtimeWorker.Hubs;
using Warehouse.Messaging;
using Warehouse.Testing;

namespace Warehouse.RealtimeWorker.Tests;

public sealed class RealtimeFixture : ServiceFixture<Program>
{
    public IMessageBus Bus => Factory.Services.GetRequiredService<IMessageBus>();

    /// <summary>A hub connection over the test server's WebSocket, token in the query string as browsers send it.</summary>
    public Task<HubClient> ConnectAsync(string token) => HubClient.ConnectAsync(Factory.Server, TasksHub.Path, token);
}

[CollectionDefinition(Name)]
public sealed class RealtimeCollection : ICollectionFixture<RealtimeFixture>
{
    public const string Name = "realtime";
}
