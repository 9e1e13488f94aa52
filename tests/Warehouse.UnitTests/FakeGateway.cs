using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Warehouse.Contracts.Notifications;
using Warehouse.Contracts.Tasks;

namespace Warehouse.UnitTests;

/// <summary>One page of <c>GET /api/tasks/snapshot</c>: its items, its sequence, and whether another page follows.</summary>
public sealed record FakePage(IReadOnlyList<TaskItem> Items, long Sequence, bool More = false);

/// <summary>
/// What the .NET client talks to, on a loopback port: the hub (joining any warehouse) and <c>GET /api/tasks/snapshot</c>,
/// whose pages the test scripts, so a test decides what each read returns and when a notification is sent. Page
/// <c>n</c>'s cursor is a UUID ending in <c>n</c>, so the gateway knows which page a cursor asks for.
/// </summary>
public sealed class FakeGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeGateway(WebApplication app) => _app = app;

    /// <summary>Answers page <c>n</c> of a read of the open tasks (1-based); the default is an empty warehouse at sequence 0.</summary>
    public Func<int, FakePage> Serve { get; set; } = _ => new FakePage([], 0);

    /// <summary>Runs before <see cref="Serve"/> answers page <c>n</c>: a script's changes "during" the read (notifications sent meanwhile).</summary>
    public Func<int, Task> BeforeServing { get; set; } = _ => Task.CompletedTask;

    /// <summary>Answers page <c>n</c> of a read of the completed tasks; none by default.</summary>
    public Func<int, FakePage> ServeCompleted { get; set; } = _ => new FakePage([], 0);

    /// <summary>The page numbers of the open tasks asked for, in order.</summary>
    public ConcurrentQueue<int> PagesRead { get; } = new();

    public Uri Address => new(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());

    public static async Task<FakeGateway> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSignalR();
        var app = builder.Build();
        var gateway = new FakeGateway(app);
        app.UseWebSockets();
        app.MapHub<FakeTasksHub>("/hubs/tasks");
        app.MapGet("/api/tasks/snapshot", async (Guid? after, bool? completed) =>
        {
            var number = after is { } cursor ? int.Parse(cursor.ToString()[^12..], System.Globalization.CultureInfo.InvariantCulture) + 1 : 1;
            FakePage page;
            if (completed == true)
            {
                page = gateway.ServeCompleted(number);
            }
            else
            {
                gateway.PagesRead.Enqueue(number);
                await gateway.BeforeServing(number);
                page = gateway.Serve(number);
            }

            return TypedResults.Ok(new { page.Items, page.Sequence, Next = page.More ? Guid.Parse($"00000000-0000-0000-0000-{number:D12}") : (Guid?)null });
        });
        await app.StartAsync();
        return gateway;
    }

    /// <summary>Sends a notification to every connected client.</summary>
    public Task NotifyAsync(Notification notification) =>
        _app.Services.GetRequiredService<IHubContext<FakeTasksHub>>().Clients.All.SendAsync("notification", notification);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    public static TaskItem NewTask(string sku, int quantityDone = 0) =>
        new(Guid.NewGuid(), "WH1", TaskTypes.Pick, sku, 5, quantityDone, "A-01", null, TaskStatuses.Open, null, 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
}

/// <summary>The hub's one method the client calls.</summary>
public sealed class FakeTasksHub : Hub
{
    public Task JoinWarehouse(string warehouseId) => Task.CompletedTask;
}
