using System.Net;
using System.Net.Http.Json;
using Warehouse.Contracts.Tasks;
using Warehouse.Security;
using Warehouse.TaskService.Model;
using Warehouse.Testing;

namespace Warehouse.TaskService.Tests;

/// <summary>
/// A token's warehouses bound everything its holder reads and changes: a task elsewhere is 404 (its existence is not
/// the caller's to know), naming another warehouse is 403 naming <c>warehouseId</c>, and nothing is written.
/// </summary>
[Collection(TaskServiceCollection.Name)]
public sealed class WarehouseIsolationTests(TaskServiceFixture fixture)
{
    private readonly string _mine = TaskApiClient.NewWarehouse();
    private readonly string _theirs = TaskApiClient.NewWarehouse();

    public static TheoryData<string> Outsiders => ["operator-elsewhere", "planner-elsewhere", "operator-without-warehouse", "planner-without-warehouse"];

    [Theory]
    [MemberData(nameof(Outsiders))]
    public async Task A_task_in_another_warehouse_cannot_be_read_listed_changed_or_scanned(string outsider)
    {
        var theirs = fixture.Client(Roles.Planner, _theirs);
        var task = await theirs.CreateAsync(_theirs, assignee: "alice");
        var caller = Outsider(outsider);
        var isOperator = outsider.StartsWith("operator", StringComparison.Ordinal);
        var before = await CountAsync(_theirs);

        Assert.Equal(HttpStatusCode.NotFound, (await caller.GetAsync($"/api/tasks/{task.Id}")).StatusCode);
        await (await caller.GetAsync($"/api/tasks?warehouseId={_theirs}")).ExpectProblemAsync(HttpStatusCode.Forbidden, "warehouseId");
        Assert.DoesNotContain(task.Id, (await (await caller.GetAsync("/api/tasks?pageSize=200")).ReadAsync<TaskPage>(HttpStatusCode.OK)).Items.Select(t => t.Id));

        // What the role allows is refused by warehouse (404, as if missing); what it does not is refused by role (403).
        foreach (var (action, operatorMay) in new[] { ("assign", false), ("start", true), ("complete", true), ("cancel", false) })
        {
            var response = await caller.TransitionAsync(task.Id, action, task.Version, "mallory");
            Assert.True(response.StatusCode == (operatorMay == isOperator ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden), $"{action}: {(int)response.StatusCode}");
        }

        var scan = await caller.ScanAsync(Guid.NewGuid(), task.Id, 1);
        var create = await caller.PostAsJsonAsync("/api/tasks", new TaskDraft(_theirs, TaskTypes.Pick, "SKU-1", 1, "A-01", null, null));
        if (isOperator)
        {
            await scan.ExpectProblemAsync(HttpStatusCode.NotFound, "taskId");
            Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, scan.StatusCode);
            await create.ExpectProblemAsync(HttpStatusCode.Forbidden, "warehouseId");
        }

        Assert.Equal(task, await (await theirs.GetAsync($"/api/tasks/{task.Id}")).ReadAsync<TaskItem>(HttpStatusCode.OK));
        Assert.Equal(before, await CountAsync(_theirs));
    }

    [Fact]
    public async Task A_token_for_several_warehouses_lists_exactly_those()
    {
        var third = TaskApiClient.NewWarehouse();
        var planner = fixture.Client(Roles.Planner, _mine, _theirs);
        var mine = await planner.CreateAsync(_mine);
        var theirs = await planner.CreateAsync(_theirs);
        var elsewhere = await fixture.Client(Roles.Planner, third).CreateAsync(third);

        var listed = await (await planner.GetAsync("/api/tasks?pageSize=200")).ReadAsync<TaskPage>(HttpStatusCode.OK);
        Assert.Subset(listed.Items.Select(t => t.Id).ToHashSet(), new HashSet<Guid> { mine.Id, theirs.Id });
        Assert.DoesNotContain(elsewhere.Id, listed.Items.Select(t => t.Id));
        Assert.Equal(2, listed.Total);
    }

    [Fact]
    public async Task A_token_without_a_warehouse_sees_nothing_and_an_admin_sees_and_changes_every_warehouse()
    {
        var task = await fixture.Client(Roles.Planner, _theirs).CreateAsync(_theirs, assignee: null);

        var none = await (await fixture.Client(Roles.Operator).GetAsync("/api/tasks")).ReadAsync<TaskPage>(HttpStatusCode.OK);
        Assert.Equal((0, 0L), (none.Items.Count, none.Total));

        var admin = fixture.Client(Roles.Admin);
        Assert.Equal(task, await (await admin.GetAsync($"/api/tasks/{task.Id}")).ReadAsync<TaskItem>(HttpStatusCode.OK));
        var assigned = await (await admin.TransitionAsync(task.Id, "assign", task.Version, "bob")).ReadAsync<TaskItem>(HttpStatusCode.OK);
        var scanned = await (await admin.ScanAsync(Guid.NewGuid(), task.Id, 1)).ReadAsync<ScanResponse>(HttpStatusCode.OK);
        Assert.Equal((TaskStatuses.Assigned, 1), (assigned.Status, scanned.Task.QuantityDone));
        Assert.Equal(1, (await (await admin.GetAsync($"/api/tasks?warehouseId={_theirs}")).ReadAsync<TaskPage>(HttpStatusCode.OK)).Total);
    }

    private HttpClient Outsider(string kind) => kind switch
    {
        "operator-elsewhere" => fixture.Client(Roles.Operator, _mine),
        "planner-elsewhere" => fixture.Client(Roles.Planner, _mine),
        "operator-without-warehouse" => fixture.Client(Roles.Operator),
        "planner-without-warehouse" => fixture.Client(Roles.Planner),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private async Task<long> CountAsync(string warehouse) =>
        (await (await fixture.Client(Roles.Admin).GetAsync($"/api/tasks?warehouseId={warehouse}&pageSize=1")).ReadAsync<TaskPage>(HttpStatusCode.OK)).Total;
}
