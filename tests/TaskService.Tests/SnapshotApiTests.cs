using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Warehouse.Contracts.Notifications;
using Warehouse.Contracts.Tasks;
using Warehouse.Messaging;
using Warehouse.Security;
using Warehouse.TaskService.Model;
using Warehouse.Testing;

namespace Warehouse.TaskService.Tests;

/// <summary><c>GET /api/tasks/snapshot</c>: a client's view of a warehouse, open work first, completed on demand.</summary>
[Collection(TaskServiceCollection.Name)]
public sealed class SnapshotApiTests(TaskServiceFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private readonly WarehouseStaff _staff = new(fixture);

    private IMessageBus Bus => fixture.Factory.Services.GetRequiredService<IMessageBus>();

    [Fact]
    public async Task A_change_made_between_two_pages_is_neither_lost_nor_applied_twice()
    {
        var warehouse = _staff.Warehouse;
        var created = new List<TaskItem>();
        for (var i = 0; i < 4; i++)
        {
            created.Add(await _staff.Planner.CreateAsync(warehouse));
        }

        var byId = created.OrderBy(t => t.Id).ToList();
        var received = await NotificationRecorder.SubscribeAsync(Bus, n => n.WarehouseId == warehouse);

        var first = await ReadAsync("limit=2");
        // Between the pages: a task of the first page changes, one of the second is cancelled (it leaves the open
        // work), and a new one is created (its id is later than every other: UUIDv7).
        await (await _staff.Planner.TransitionAsync(byId[0].Id, "assign", 1, "bob")).ReadAsync<TaskItem>(HttpStatusCode.OK);
        await (await _staff.Planner.TransitionAsync(byId[2].Id, "cancel", 1)).ReadAsync<TaskItem>(HttpStatusCode.OK);
        var added = await _staff.Planner.CreateAsync(warehouse, assignee: null);
        var second = await ReadAsync($"after={first.Next}");

        Assert.Equal((4L, byId[1].Id, 7L, (Guid?)null), (first.Sequence, first.Next, second.Sequence, second.Next));
        Assert.Equal(byId.Take(2).Select(t => t.Id), first.Items.Select(t => t.Id));
        Assert.Equal([byId[3].Id, added.Id], second.Items.Select(t => t.Id));

        // What a client does (Warehouse.Client's TasksSnapshot.Merge): the view is the pages, at the first page's
        // sequence; each notification after it is kept when it is newer than the task's copy, by version.
        // The last creation's notification may still be on its way when the recorder subscribes: like a client, skip
        // what the first page already holds.
        var view = first.Items.Concat(second.Items).ToDictionary(t => t.Id);
        var applied = new List<long>();
        for (var sequence = first.Sequence + 1; sequence <= second.Sequence; sequence++)
        {
            var notification = await received.NextAsync(n => n.Sequence > first.Sequence, Wait);
            Assert.Equal(sequence, notification.Sequence);
            var task = notification.Data.Deserialize<TaskItem>(JsonSerializerOptions.Web)!;
            if (!view.TryGetValue(task.Id, out var known) || task.Version > known.Version)
            {
                view[task.Id] = task;
                applied.Add(sequence);
            }
        }

        // The assignment and the cancellation came from their notifications; the creation was already in page two.
        Assert.Equal([5L, 6L], applied);
        var current = new List<TaskItem>();
        foreach (var id in created.Append(added).Select(t => t.Id).Order())
        {
            current.Add(await (await _staff.Operator.GetAsync($"/api/tasks/{id}")).ReadAsync<TaskItem>(HttpStatusCode.OK));
        }

        Assert.Equal(current, view.Values.OrderBy(t => t.Id));
    }

    [Fact]
    public async Task Completed_tasks_are_left_out_of_the_open_work_and_read_on_demand()
    {
        var warehouse = _staff.Warehouse;
        var open = await _staff.Planner.CreateAsync(warehouse, assignee: null);
        var assigned = await _staff.Planner.CreateAsync(warehouse);
        var cancelled = await _staff.Planner.CreateAsync(warehouse);
        await (await _staff.Planner.TransitionAsync(cancelled.Id, "cancel", 1)).ReadAsync<TaskItem>(HttpStatusCode.OK);
        var done = await _staff.Planner.CreateAsync(warehouse);
        await (await _staff.Operator.TransitionAsync(done.Id, "start", 1)).ReadAsync<TaskItem>(HttpStatusCode.OK);
        await (await _staff.Operator.TransitionAsync(done.Id, "complete", 2)).ReadAsync<TaskItem>(HttpStatusCode.OK);
        await _staff.Planner.CreateAsync(_staff.Other);

        var openWork = await ReadAsync("");
        var completed = await ReadAsync("completed=true");

        Assert.Equal(new[] { open.Id, assigned.Id }.Order(), openWork.Items.Select(t => t.Id));
        Assert.Equal(new[] { cancelled.Id, done.Id }.Order(), completed.Items.Select(t => t.Id));
        Assert.Equal([TaskStatuses.Cancelled, TaskStatuses.Done], completed.Items.OrderBy(t => t.Id == done.Id).Select(t => t.Status));
        Assert.Equal((7L, 7L), (openWork.Sequence, completed.Sequence));
    }

    [Fact]
    public async Task An_empty_warehouse_is_one_empty_page_at_sequence_zero()
    {
        var page = await ReadAsync("");

        Assert.Equal((0, 0L, (Guid?)null), (page.Items.Count, page.Sequence, page.Next));
    }

    [Fact]
    public async Task A_warehouse_outside_the_token_is_403_naming_warehouseId()
    {
        var outsider = fixture.Client(Roles.Operator, _staff.Other);

        await (await outsider.GetAsync($"/api/tasks/snapshot?warehouseId={_staff.Warehouse}")).ExpectProblemAsync(HttpStatusCode.Forbidden, "warehouseId");
    }

    [Theory]
    [InlineData("", "warehouseId")]
    [InlineData("warehouseId=WH%00X", "warehouseId")]
    [InlineData("warehouseId=WH1&after=abc", "after")]
    [InlineData("warehouseId=WH1&limit=0", "limit")]
    [InlineData("warehouseId=WH1&limit=5001", "limit")]
    [InlineData("warehouseId=WH1&completed=yes", "completed")]
    public async Task A_bad_query_parameter_is_a_400_naming_it(string query, string parameter)
    {
        var admin = fixture.Client(Roles.Admin);

        await (await admin.GetAsync($"/api/tasks/snapshot?{query}")).ExpectProblemAsync(HttpStatusCode.BadRequest, parameter);
    }

    private async Task<TaskSnapshotPage> ReadAsync(string query) =>
        await (await _staff.Operator.GetAsync($"/api/tasks/snapshot?warehouseId={_staff.Warehouse}&{query}")).ReadAsync<TaskSnapshotPage>(HttpStatusCode.OK);
}
