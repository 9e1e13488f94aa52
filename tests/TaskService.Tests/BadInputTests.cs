using System.Net;
using System.Net.Http.Json;
using System.Text;
using Warehouse.ServiceDefaults.Security;
using Warehouse.Testing;

namespace Warehouse.TaskService.Tests;

/// <summary>Input that used to reach Postgres as a 500: each is a 400 naming the parameter or field, and writes nothing.</summary>
[Collection(TaskServiceCollection.Name)]
public sealed class BadInputTests(TaskServiceFixture fixture)
{
    private readonly WarehouseStaff _staff = new(fixture);

    [Fact]
    public async Task The_last_possible_page_is_an_empty_page_not_an_overflow()
    {
        var page = await (await _staff.Operator.GetAsync($"/api/tasks?warehouseId={_staff.Warehouse}&page={int.MaxValue}&pageSize=200"))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal((0, int.MaxValue), (page.GetProperty("items").GetArrayLength(), page.GetProperty("page").GetInt32()));
    }

    [Theory]
    [InlineData("warehouseId=WH%00X", "warehouseId")]
    [InlineData("assignee=al%01ice", "assignee")]
    [InlineData("warehouseId=" + "W123456789W123456789W123456789W123", "warehouseId")]
    [InlineData("page=abc", "page")]
    [InlineData("pageSize=99999999999", "pageSize")]
    public async Task A_bad_query_parameter_is_a_400_naming_it(string query, string parameter) =>
        await (await _staff.Operator.GetAsync($"/api/tasks?{query}")).ExpectProblemAsync(HttpStatusCode.BadRequest, parameter);

    [Theory]
    [InlineData("SKU\u00001", "A-01", "sku")]
    [InlineData("SKU-1", "A\u000101", "location")]
    [InlineData("SKU-1", "A-01\uFFFF", "location")]
    public async Task A_scan_with_control_characters_is_a_400_naming_the_field_and_counts_nothing(string sku, string location, string field)
    {
        var task = await _staff.Planner.CreateAsync(_staff.Warehouse);
        var scanId = Guid.NewGuid();

        await (await _staff.Operator.ScanAsync(scanId, task.Id, 1, sku, location)).ExpectProblemAsync(HttpStatusCode.BadRequest, field);

        // The refused scan left nothing behind: the same scan id, sent right, counts once as new.
        var accepted = await (await _staff.Operator.ScanAsync(scanId, task.Id, 1)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((false, 1), (accepted.GetProperty("duplicate").GetBoolean(), accepted.GetProperty("task").GetProperty("quantityDone").GetInt32()));
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_a_415_naming_the_type_the_endpoint_takes()
    {
        var content = new StringContent("warehouseId=WH1", Encoding.UTF8, "text/plain");

        var problem = await (await _staff.Planner.PostAsync("/api/tasks", content)).ExpectAsync(HttpStatusCode.UnsupportedMediaType);

        Assert.Equal("Send the body with Content-Type: application/json.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_body_of_the_wrong_shape_names_its_JSON_path() =>
        await (await _staff.Planner.PostAsJsonAsync("/api/tasks", new { warehouseId = "WH1", quantity = "many" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest, "$.quantity");
}
