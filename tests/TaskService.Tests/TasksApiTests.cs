using System.Net;
using System.Net.Http.Json;
using Warehouse.Contracts.Tasks;
using Warehouse.Security;
using Warehouse.TaskService.Model;
using Warehouse.Testing;

namespace Warehouse.TaskService.Tests;

[Collection(TaskServiceCollection.Name)]
public sealed class TasksApiTests(TaskServiceFixture fixture)
{
    private readonly WarehouseStaff _staff = new(fixture);

    [Fact]
    public async Task Created_task_can_be_read_back_and_listed_with_filters_and_paging()
    {
        var warehouse = _staff.Warehouse;
        var assigned = await _staff.Planner.CreateAsync(warehouse, assignee: "alice");
        var open = await _staff.Planner.CreateAsync(warehouse, assignee: null, type: TaskTypes.Putaway);
        await _staff.Planner.CreateAsync(_staff.Other);

        Assert.Equal(TaskStatuses.Assigned, assigned.Status);
        Assert.Equal(TaskStatuses.Open, open.Status);
        Assert.Equal(assigned, await (await _staff.Operator.GetAsync($"/api/tasks/{assigned.Id}")).ReadAsync<TaskItem>(HttpStatusCode.OK));

        var all = await (await _staff.Operator.GetAsync($"/api/tasks?warehouseId={warehouse}")).ReadAsync<TaskPage>(HttpStatusCode.OK);
        Assert.Equal(2, all.Total);
        Assert.Equal(2, all.Sequence);
        var byStatus = await (await _staff.Operator.GetAsync($"/api/tasks?warehouseId={warehouse}&status=open")).ReadAsync<TaskPage>(HttpStatusCode.OK);
        Assert.Equal([open.Id], byStatus.Items.Select(t => t.Id));
        var byAssignee = await (await _staff.Operator.GetAsync($"/api/tasks?warehouseId={warehouse}&assignee=alice")).ReadAsync<TaskPage>(HttpStatusCode.OK);
        Assert.Equal([assigned.Id], byAssignee.Items.Select(t => t.Id));
        var page2 = await (await _staff.Operator.GetAsync($"/api/tasks?warehouseId={warehouse}&page=2&pageSize=1")).ReadAsync<TaskPage>(HttpStatusCode.OK);
        Assert.Equal(2, page2.Total);
        Assert.Equal([open.Id], page2.Items.Select(t => t.Id));
    }

    [Fact]
    public async Task A_listed_page_its_total_and_its_sequence_describe_the_same_moment_while_tasks_are_created()
    {
        // Only creations happen in this warehouse, each bumping its sequence once: in any consistent reading the
        // total equals the sequence. Read in separate statements, creations landing between them break that.
        var warehouse = _staff.Warehouse;
        var creators = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                await _staff.Planner.CreateAsync(warehouse);
            }
        })).ToList();

        var readings = new List<(long Total, long? Sequence)>();
        while (!creators.All(c => c.IsCompleted))
        {
            var page = await (await _staff.Operator.GetAsync($"/api/tasks?warehouseId={warehouse}&pageSize=1")).ReadAsync<TaskPage>(HttpStatusCode.OK);
            readings.Add((page.Total, page.Sequence));
        }

        await Task.WhenAll(creators);
        Assert.True(readings.Count >= 5, $"only {readings.Count} readings while the tasks were created");
        Assert.All(readings, reading => Assert.Equal(reading.Total, reading.Sequence));
    }

    [Fact]
    public async Task Unknown_task_is_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _staff.Operator.GetAsync($"/api/tasks/{Guid.NewGuid()}")).StatusCode);
    }

    [Theory]
    [InlineData("""{"type":"pick","sku":"S","quantity":1,"fromLocation":"A"}""", "warehouseId")]
    [InlineData("""{"warehouseId":"W","type":"fly","sku":"S","quantity":1,"fromLocation":"A"}""", "type")]
    [InlineData("""{"warehouseId":"W","type":"pick","sku":"S","quantity":0,"fromLocation":"A"}""", "quantity")]
    [InlineData("""{"warehouseId":"W","type":"pick","sku":"S","quantity":100001,"fromLocation":"A"}""", "quantity")]
    [InlineData("""{"warehouseId":"W","type":"pick","quantity":1,"fromLocation":"A"}""", "sku")]
    [InlineData("""{"warehouseId":"W","type":"putaway","sku":"S","quantity":1,"fromLocation":"A"}""", "toLocation")]
    [InlineData("""{"warehouseId":"W","type":"pick","sku":"S","quantity":1,"fromLocation":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""", "fromLocation")]
    [InlineData("""{"warehouseId":"W","type":"pick","sku":"S","quantity":"three","fromLocation":"A"}""", "quantity")]
    [InlineData("""{"warehouseId":"W","type":"pick",""", "body")]
    public async Task Invalid_task_is_rejected_with_problem_details_naming_the_field_and_nothing_is_written(string body, string field)
    {
        var before = await CountAsync();
        var response = await _staff.Planner.PostAsync("/api/tasks", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Task_moves_through_its_lifecycle_and_illegal_transitions_are_409()
    {
        var task = await _staff.Planner.CreateAsync(_staff.Warehouse, assignee: null);

        var illegal = await _staff.Operator.TransitionAsync(task.Id, "complete", task.Version);
        var problem = await illegal.ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("open cannot become done", problem.GetProperty("detail").GetString());

        var assigned = await (await _staff.Planner.TransitionAsync(task.Id, "assign", 1, "bob")).ReadAsync<TaskItem>(HttpStatusCode.OK);
        var started = await (await _staff.Operator.TransitionAsync(task.Id, "start", assigned.Version)).ReadAsync<TaskItem>(HttpStatusCode.OK);
        var done = await (await _staff.Operator.TransitionAsync(task.Id, "complete", started.Version)).ReadAsync<TaskItem>(HttpStatusCode.OK);

        Assert.Equal(("bob", TaskStatuses.Assigned, 2), (assigned.Assignee, assigned.Status, assigned.Version));
        Assert.Equal(TaskStatuses.InProgress, started.Status);
        Assert.Equal((TaskStatuses.Done, 4), (done.Status, done.Version));
        await (await _staff.Planner.TransitionAsync(task.Id, "cancel", done.Version)).ExpectAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_planner_cancels_an_assigned_task_which_then_accepts_no_work()
    {
        var task = await _staff.Planner.CreateAsync(_staff.Warehouse, assignee: "alice");

        await (await _staff.Operator.TransitionAsync(task.Id, "cancel", task.Version)).ExpectAsync(HttpStatusCode.Forbidden);
        var cancelled = await (await _staff.Planner.TransitionAsync(task.Id, "cancel", task.Version)).ReadAsync<TaskItem>(HttpStatusCode.OK);

        Assert.Equal((TaskStatuses.Cancelled, 2, "alice", 0), (cancelled.Status, cancelled.Version, cancelled.Assignee, cancelled.QuantityDone));
        Assert.Equal(cancelled, await (await _staff.Operator.GetAsync($"/api/tasks/{task.Id}")).ReadAsync<TaskItem>(HttpStatusCode.OK));
        var start = await (await _staff.Operator.TransitionAsync(task.Id, "start", cancelled.Version)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal("A task that is cancelled cannot become in_progress.", start.GetProperty("detail").GetString());
        await (await _staff.Operator.ScanAsync(Guid.NewGuid(), task.Id, 1)).ExpectAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Stale_version_is_409_and_concurrent_writers_never_lose_an_update()
    {
        var task = await _staff.Planner.CreateAsync(_staff.Warehouse, assignee: null);

        var racers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => _staff.Planner.TransitionAsync(task.Id, "assign", task.Version, $"worker{i}")));

        Assert.Single(racers, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(7, racers.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var winner = await racers.Single(r => r.IsSuccessStatusCode).ReadAsync<TaskItem>(HttpStatusCode.OK);
        var current = await (await _staff.Operator.GetAsync($"/api/tasks/{task.Id}")).ReadAsync<TaskItem>(HttpStatusCode.OK);
        Assert.Equal((winner.Assignee, 2), (current.Assignee, current.Version));
        var stale = await (await _staff.Planner.TransitionAsync(task.Id, "assign", 1, "late")).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(2, stale.GetProperty("currentVersion").GetInt32());
    }

    [Fact]
    public async Task Transition_without_version_or_assignee_names_the_field()
    {
        var task = await _staff.Planner.CreateAsync(_staff.Warehouse, assignee: null);
        await (await _staff.Planner.PostAsJsonAsync($"/api/tasks/{task.Id}/assign", new { assignee = "x" })).ExpectProblemAsync(HttpStatusCode.BadRequest, "version");
        await (await _staff.Planner.PostAsJsonAsync($"/api/tasks/{task.Id}/assign", new { version = 1 })).ExpectProblemAsync(HttpStatusCode.BadRequest, "assignee");
    }

    [Theory]
    [InlineData("?status=lost", "status")]
    [InlineData("?pageSize=500", "pageSize")]
    [InlineData("?page=0", "page")]
    public async Task Bad_list_parameters_name_the_field(string query, string field) =>
        await (await _staff.Operator.GetAsync("/api/tasks" + query)).ExpectProblemAsync(HttpStatusCode.BadRequest, field);

    [Fact]
    public async Task Requests_without_a_token_are_401_and_wrong_roles_are_403()
    {
        var anonymous = fixture.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/tasks")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.WithToken("not-a-jwt").GetAsync("/api/tasks")).StatusCode);

        var draft = new TaskDraft("W1", TaskTypes.Pick, "S", 1, "A", null, null);
        Assert.Equal(HttpStatusCode.Forbidden, (await _staff.Operator.PostAsJsonAsync("/api/tasks", draft)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _staff.Planner.ScanAsync(Guid.NewGuid(), Guid.NewGuid(), 1)).StatusCode);
    }

    // An admin counts every warehouse: a bad draft must not have been written anywhere.
    private async Task<long> CountAsync() => (await (await fixture.Client(Roles.Admin).GetAsync("/api/tasks?pageSize=1")).ReadAsync<TaskPage>(HttpStatusCode.OK)).Total;
}
