using System.Collections.Concurrent;
using Warehouse.Client;
using Warehouse.Contracts.Notifications;
using Warehouse.Contracts.Tasks;

namespace Warehouse.UnitTests;

/// <summary>The shipped .NET client against a scripted gateway: what it applies, what it ignores, when it reloads.</summary>
public sealed class WarehouseTaskViewTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<TaskChange> _changes = new();
    private readonly ConcurrentQueue<ResyncReason> _resyncs = new();
    private FakeGateway? _gateway;

    private FakeGateway Gateway => _gateway!;

    public async Task InitializeAsync() => _gateway = await FakeGateway.StartAsync();

    public async Task DisposeAsync() => await Gateway.DisposeAsync();

    [Fact]
    public async Task ResyncAsync_reloads_the_warehouse_now()
    {
        var first = FakeGateway.NewTask("SKU-1");
        Gateway.Serve = _ => new FakePage([first], 1, 3);
        await using var view = await StartAsync();

        var second = FakeGateway.NewTask("SKU-2");
        Gateway.Serve = _ => new FakePage([first, second], 2, 5);
        await view.ResyncAsync();

        Assert.Equal((5L, 1, "Requested"), (view.Sequence, view.Resyncs, string.Join(",", _resyncs)));
        Assert.Equal(new[] { first.Id, second.Id }.Order(), view.Tasks.Keys.Order());
    }

    [Fact]
    public async Task Notifications_at_or_below_the_snapshot_sequence_are_ignored_and_the_next_one_is_applied()
    {
        var known = FakeGateway.NewTask("SKU-1");
        Gateway.Serve = _ => new FakePage([known], 1, 5);
        await using var view = await StartAsync();

        await Gateway.NotifyAsync(Notification.Create(NotificationTypes.TaskCreated, "WH1", 4, FakeGateway.NewTask("STALE")));
        await Gateway.NotifyAsync(Notification.Create(NotificationTypes.TaskUpdated, "WH1", 5, known with { QuantityDone = 5 }));
        // The sentinel: sent last, applied in order, so the two before it have been handled once it is in.
        var next = FakeGateway.NewTask("NEXT");
        await Gateway.NotifyAsync(Notification.Create(NotificationTypes.TaskCreated, "WH1", 6, next));
        await view.WaitUntilAsync(v => v.Sequence == 6, Wait);

        Assert.Equal([(NotificationTypes.TaskCreated, next.Id, 6L)], _changes.Select(c => (c.Type, c.Task.Id, c.Sequence)));
        Assert.Equal((0, 0), (view.Tasks[known.Id].QuantityDone, view.Resyncs));
        Assert.Equal(new[] { known.Id, next.Id }.Order(), view.Tasks.Keys.Order());
    }

    [Theory]
    [InlineData(NotificationTypes.TasksImported, 2, ResyncReason.Imported)]
    [InlineData(NotificationTypes.TaskCreated, 3, ResyncReason.Gap)]
    public async Task An_import_or_a_skipped_sequence_reloads_the_warehouse(string type, long sequence, ResyncReason reason)
    {
        Gateway.Serve = _ => new FakePage([], 0, 1);
        await using var view = await StartAsync();
        var imported = Enumerable.Range(1, 3).Select(i => FakeGateway.NewTask($"IMP-{i}")).ToList();
        Gateway.Serve = _ => new FakePage(imported, 3, sequence);

        await Gateway.NotifyAsync(Notification.Create(type, "WH1", sequence, new { jobId = Guid.NewGuid(), count = 3 }));
        await view.WaitUntilAsync(v => v.Resyncs == 1, Wait);

        Assert.Equal((sequence, reason.ToString()), (view.Sequence, string.Join(",", _resyncs)));
        Assert.Equal(imported.Select(t => t.Id).Order(), view.Tasks.Keys.Order());
        Assert.Empty(_changes);
    }

    [Fact]
    public async Task A_snapshot_whose_pages_disagree_on_the_sequence_is_read_again()
    {
        var tasks = Enumerable.Range(1, 250).Select(i => FakeGateway.NewTask($"SKU-{i}")).ToList();
        var reads = 0;
        // The first read sees a change land between its two pages (sequence 7, then 8); the second is consistent.
        Gateway.Serve = page =>
        {
            var sequence = page == 1 ? 7 + Math.Min(Interlocked.Increment(ref reads) - 1, 1) : 8;
            return new FakePage([.. tasks.Skip((page - 1) * 200).Take(200)], tasks.Count, sequence);
        };

        await using var view = await StartAsync();

        Assert.Equal((8L, 250), (view.Sequence, view.Tasks.Count));
        Assert.Equal([1, 2, 1, 2], Gateway.PagesRead);
    }

    [Fact]
    public async Task A_warehouse_that_changes_during_every_read_fails_the_start_after_five_reads()
    {
        var tasks = Enumerable.Range(1, 250).Select(i => FakeGateway.NewTask($"SKU-{i}")).ToList();
        Gateway.Serve = page => new FakePage([.. tasks.Skip((page - 1) * 200).Take(200)], tasks.Count, page);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(StartAsync);

        Assert.Equal("Warehouse WH1 changed during each of 5 reads of its tasks; try again when it is quieter.", error.Message);
        Assert.Equal(Enumerable.Repeat(new[] { 1, 2 }, 5).SelectMany(p => p), Gateway.PagesRead);
    }

    private async Task<WarehouseTaskView> StartAsync()
    {
        var view = await WarehouseTaskView.StartAsync(new WarehouseClientOptions
        {
            Gateway = Gateway.Address,
            WarehouseId = "WH1",
            AccessTokenProvider = () => Task.FromResult<string?>("token"),
        });
        view.Changed += _changes.Enqueue;
        view.Resynchronised += _resyncs.Enqueue;
        return view;
    }
}
