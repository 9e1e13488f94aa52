using System.Net;
using Warehouse.Contracts.Tasks;
using Warehouse.Security;
using Warehouse.TaskService.Model;
using Warehouse.Testing;

namespace Warehouse.TaskService.Tests;

[Collection(TaskServiceCollection.Name)]
public sealed class ScansApiTests(TaskServiceFixture fixture)
{
    private readonly WarehouseStaff _staff = new(fixture);

    [Fact]
    public async Task The_OpenAPI_document_describes_the_scan_answer_and_each_refusal()
    {
        var document = await (await _staff.Operator.GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);

        var responses = document.GetProperty("paths").GetProperty("/api/scan").GetProperty("post").GetProperty("responses");
        Assert.Equal(["200", "400", "404", "409", "422"], responses.EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Equal("#/components/schemas/ScanResponse",
            responses.GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
    }

    [Fact]
    public async Task Scans_count_towards_the_task_and_the_last_one_completes_it()
    {
        var task = await _staff.Planner.CreateAsync(_staff.Warehouse, quantity: 5);

        var first = await (await _staff.Operator.ScanAsync(Guid.NewGuid(), task.Id, 2)).ReadAsync<ScanResponse>(HttpStatusCode.OK);
        var last = await (await _staff.Operator.ScanAsync(Guid.NewGuid(), task.Id, 3)).ReadAsync<ScanResponse>(HttpStatusCode.OK);

        Assert.Equal((2, TaskStatuses.InProgress, false), (first.Task.QuantityDone, first.Task.Status, first.Duplicate));
        Assert.Equal((5, TaskStatuses.Done), (last.Task.QuantityDone, last.Task.Status));
    }

    [Fact]
    public async Task A_retried_scan_is_acknowledged_but_never_counted_twice_even_when_retries_race()
    {
        var task = await _staff.Planner.CreateAsync(_staff.Warehouse, quantity: 10);
        var scanId = Guid.NewGuid();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _staff.Operator.ScanAsync(scanId, task.Id, 4)));
        var bodies = await Task.WhenAll(responses.Select(r => r.ReadAsync<ScanResponse>(HttpStatusCode.OK)));

        Assert.Single(bodies, b => !b.Duplicate);
        Assert.Equal(9, bodies.Count(b => b.Duplicate));
        var current = await (await _staff.Operator.GetAsync($"/api/tasks/{task.Id}")).ReadAsync<TaskItem>(HttpStatusCode.OK);
        Assert.Equal(4, current.QuantityDone);
    }

    [Theory]
    [InlineData("SKU-2", "A-01", 1, "sku", HttpStatusCode.UnprocessableEntity)]
    [InlineData("SKU-1", "Z-99", 1, "location", HttpStatusCode.UnprocessableEntity)]
    [InlineData("SKU-1", "A-01", 6, "quantity", HttpStatusCode.UnprocessableEntity)]
    [InlineData("SKU-1", "A-01", 0, "quantity", HttpStatusCode.BadRequest)]
    public async Task Wrong_scans_are_rejected_naming_the_field_and_change_nothing(string sku, string location, int quantity, string field, HttpStatusCode status)
    {
        var task = await _staff.Planner.CreateAsync(_staff.Warehouse, quantity: 5);

        await (await _staff.Operator.ScanAsync(Guid.NewGuid(), task.Id, quantity, sku, location)).ExpectProblemAsync(status, field);

        var current = await (await _staff.Operator.GetAsync($"/api/tasks/{task.Id}")).ReadAsync<TaskItem>(HttpStatusCode.OK);
        Assert.Equal((0, task.Version), (current.QuantityDone, current.Version));
    }

    [Fact]
    public async Task Putaway_is_scanned_at_its_destination()
    {
        var task = await _staff.Planner.CreateAsync(_staff.Warehouse, type: TaskTypes.Putaway, quantity: 1);
        var wrongPlace = await (await _staff.Operator.ScanAsync(Guid.NewGuid(), task.Id, 1, location: "A-01")).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "location");
        Assert.Equal("Scanned location A-01 is not the task's location B-01.", wrongPlace.GetProperty("errors").GetProperty("location")[0].GetString());
        var done = await (await _staff.Operator.ScanAsync(Guid.NewGuid(), task.Id, 1, location: "B-01")).ReadAsync<ScanResponse>(HttpStatusCode.OK);
        Assert.Equal(TaskStatuses.Done, done.Task.Status);
    }

    [Fact]
    public async Task Scans_need_a_task_that_exists_and_is_being_worked()
    {
        var open = await _staff.Planner.CreateAsync(_staff.Warehouse, assignee: null);
        await (await _staff.Operator.ScanAsync(Guid.NewGuid(), open.Id, 1)).ExpectProblemAsync(HttpStatusCode.Conflict, "taskId");
        await (await _staff.Operator.ScanAsync(Guid.NewGuid(), Guid.NewGuid(), 1)).ExpectProblemAsync(HttpStatusCode.NotFound, "taskId");
    }

    [Fact]
    public async Task A_scan_id_used_for_one_task_cannot_be_reused_for_another()
    {
        var warehouse = _staff.Warehouse;
        var first = await _staff.Planner.CreateAsync(warehouse);
        var second = await _staff.Planner.CreateAsync(warehouse);
        var scanId = Guid.NewGuid();
        await (await _staff.Operator.ScanAsync(scanId, first.Id, 1)).ReadAsync<ScanResponse>(HttpStatusCode.OK);

        await (await _staff.Operator.ScanAsync(scanId, second.Id, 1)).ExpectProblemAsync(HttpStatusCode.Conflict, "scanId");
    }

    [Fact]
    public async Task One_scan_id_sent_for_two_tasks_at_once_is_counted_once_and_refused_once()
    {
        // Both requests pass the scan-id lookup under different row locks; one insert then hits the primary key.
        var warehouse = _staff.Warehouse;
        for (var round = 0; round < 10; round++)
        {
            var tasks = await Task.WhenAll(_staff.Planner.CreateAsync(warehouse), _staff.Planner.CreateAsync(warehouse));
            var scanId = Guid.NewGuid();

            var statuses = (await Task.WhenAll(tasks.Select(t => _staff.Operator.ScanAsync(scanId, t.Id, 1)))).Select(r => r.StatusCode).Order();

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], statuses);
        }
    }

    [Theory]
    [InlineData("""{"taskId":"00000000-0000-0000-0000-000000000001","sku":"S","location":"A"}""", "scanId")]
    [InlineData("""{"scanId":"00000000-0000-0000-0000-000000000001","sku":"S","location":"A"}""", "taskId")]
    [InlineData("""{"scanId":"not-a-guid"}""", "scanId")]
    [InlineData("""[1,2]""", "body")]
    public async Task Malformed_scans_are_400_naming_the_field(string body, string field) =>
        await (await _staff.Operator.PostAsync("/api/scan", new StringContent(body, System.Text.Encoding.UTF8, "application/json")))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, field);
}
