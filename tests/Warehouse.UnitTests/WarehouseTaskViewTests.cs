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
        Gateway.Serve = _ => new FakePage([first], 3);
        await using var view = await StartAsync();

        var second = FakeGateway.NewTask("SKU-2");
        Gateway.Serve = _ => new FakePage([first, second], 5);
        await view.ResyncAsync();

        Assert.Equal((5L, 1, "Requested"), (view.Sequence, view.Resyncs, string.Join(",", _resyncs)));
        Assert.Equal(new[] { first.Id, second.Id }.Order(), view.Tasks.Keys.Order());
    }

    [Fact]
    public async Task Notifications_at_or_below_the_snapshot_sequence_are_ignored_and_the_next_one_is_applied()
    {
        var known = FakeGateway.NewTask("SKU-1");
        Gateway.Serve = _ => new FakePage([known], 5);
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
        Gateway.Serve = _ => new FakePage([], 1);
        await using var view = await StartAsync();
        var imported = Enumerable.Range(1, 3).Select(i => FakeGateway.NewTask($"IMP-{i}")).ToList();
        Gateway.Serve = _ => new FakePage(imported, sequence);

        await Gateway.NotifyAsync(Notification.Create(type, "WH1", sequence, new { jobId = Guid.NewGuid(), count = 3 }));
        await view.WaitUntilAsync(v => v.Resyncs == 1, Wait);

        Assert.Equal((sequence, reason.ToString()), (view.Sequence, string.Join(",", _resyncs)));
        Assert.Equal(imported.Select(t => t.Id).Order(), view.Tasks.Keys.Order());
        Assert.Empty(_changes);
    }

    [Fact]
    public async Task A_change_made_during_the_snapshot_is_neither_lost_nor_applied_twice()
    {
        var tasks = Enumerable.Range(1, 250).Select(i => FakeGateway.NewTask($"SKU-{i}")).ToList();
        var (early, late) = (tasks[0] with { QuantityDone = 1, Version = 2 }, tasks[210] with { QuantityDone = 2, Version = 2 });
        var created = FakeGateway.NewTask("NEW");
        // Page 1 is read at sequence 7. Before page 2 is read, sequence 8 changes a task of page 1 (the view must apply
        // it) and 9 one of page 2 (page 2, read at 9, already holds it: applying it again would report it twice); 10 comes after.
        Gateway.BeforeServing = async page =>
        {
            if (page == 2)
            {
                await Gateway.NotifyAsync(Notification.Create(NotificationTypes.TaskUpdated, "WH1", 8, early));
                await Gateway.NotifyAsync(Notification.Create(NotificationTypes.TaskUpdated, "WH1", 9, late));
                await Gateway.NotifyAsync(Notification.Create(NotificationTypes.TaskCreated, "WH1", 10, created));
            }
        };
        Gateway.Serve = page => page == 1 ? new FakePage([.. tasks.Take(200)], 7, More: true) : new FakePage([.. tasks.Skip(200).Select(t => t.Id == late.Id ? late : t)], 9);

        await using var view = await StartAsync();
        await view.WaitUntilAsync(v => v.Sequence == 10, Wait);

        Assert.Equal([(NotificationTypes.TaskUpdated, early.Id, 8L), (NotificationTypes.TaskCreated, created.Id, 10L)], _changes.Select(c => (c.Type, c.Task.Id, c.Sequence)));
        Assert.Equal((251, 1, 2, 0), (view.Tasks.Count, view.Tasks[early.Id].QuantityDone, view.Tasks[late.Id].QuantityDone, view.Resyncs));
        Assert.Equal([1, 2], Gateway.PagesRead);
    }

    [Fact]
    public async Task A_warehouse_that_changes_during_every_read_loads_in_one_pass_at_its_first_page_sequence()
    {
        var tasks = Enumerable.Range(1, 250).Select(i => FakeGateway.NewTask($"SKU-{i}")).ToList();
        Gateway.Serve = page => new FakePage([.. tasks.Skip((page - 1) * 200).Take(200)], page, More: page == 1);

        await using var view = await StartAsync();

        Assert.Equal((1L, 250), (view.Sequence, view.Tasks.Count));
        Assert.Equal([1, 2], Gateway.PagesRead);
    }

    [Fact]
    public async Task Completed_tasks_are_loaded_on_demand_and_kept_across_reloads()
    {
        var open = FakeGateway.NewTask("OPEN");
        var done = FakeGateway.NewTask("DONE", quantityDone: 5) with { Status = TaskStatuses.Done, Version = 3 };
        Gateway.Serve = _ => new FakePage([open], 4);
        Gateway.ServeCompleted = _ => new FakePage([done], 4);
        await using var view = await StartAsync();
        Assert.Equal([open.Id], view.Tasks.Keys);

        await view.LoadCompletedAsync();
        await view.ResyncAsync();

        Assert.Equal(new[] { open.Id, done.Id }.Order(), view.Tasks.Keys.Order());
        Assert.Equal(TaskStatuses.Done, view.Tasks[done.Id].Status);
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
