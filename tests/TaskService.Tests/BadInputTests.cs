using System.Net;
using System.Net.Http.Json;
using System.Text;
using Warehouse.Contracts.Tasks;
using Warehouse.Security;
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
    public async Task A_body_of_the_wrong_shape_names_its_field() =>
        await ExpectMessageAsync(
            await _staff.Planner.PostAsJsonAsync("/api/tasks", new { warehouseId = "WH1", quantity = "many" }),
            "quantity", $"quantity must be a whole number no larger than {int.MaxValue}.");

    // Each of these answered with the framework's words: "Implicit body inferred for parameter "draft"… Did you mean
    // to use a Service instead?", "could not be converted to Warehouse.TaskService.Model.ScanRequest", a type name.
    [Theory]
    [InlineData("/api/tasks", "", "body", "The request needs a JSON body.")]
    [InlineData("/api/scan", "", "body", "The request needs a JSON body.")]
    [InlineData("/api/tasks", "null", "body", "The request needs a JSON body.")]
    [InlineData("/api/scan", "null", "body", "The request needs a JSON body.")]
    [InlineData("/api/scan", "[]", "body", "The body must be a JSON object.")]
    [InlineData("/api/scan", "{\"scanId\":\"abc\"}", "scanId", "scanId must be a UUID, such as 0197e6a0-7d2a-7c3e-9f41-5b2a8c1d4e6f.")]
    [InlineData("/api/scan", "{\"quantity\":", "body", "The body is not valid JSON (line 1, position 13).")]
    public async Task A_malformed_body_is_a_400_in_words_for_the_user(string path, string body, string field, string message)
    {
        var client = path == "/api/scan" ? _staff.Operator : _staff.Planner;
        await ExpectMessageAsync(await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json")), field, message);
    }

    [Fact]
    public async Task A_version_below_1_is_a_400_that_says_the_allowed_range()
    {
        var task = await _staff.Planner.CreateAsync(_staff.Warehouse);

        await ExpectMessageAsync(await _staff.Operator.TransitionAsync(task.Id, "start", -1), "version", "version must be 1 or more: send the version you last read.");
    }

    [Fact]
    public async Task A_repeated_query_parameter_is_a_400_that_says_so() =>
        await ExpectMessageAsync(
            await _staff.Operator.GetAsync($"/api/tasks?warehouseId={_staff.Warehouse}&warehouseId={_staff.Other}"),
            "warehouseId", "warehouseId may be given only once.");

    [Fact]
    public async Task A_sku_is_measured_in_characters_not_UTF16_units()
    {
        var emoji = string.Concat(Enumerable.Repeat("\U0001F4E6", 33));
        var draft = new TaskDraft(_staff.Warehouse, TaskTypes.Pick, emoji, 1, "A-01", null, null);

        // 33 characters are within the limit of 64 (66 UTF-16 units are not): what is wrong is the characters themselves.
        await ExpectMessageAsync(await _staff.Planner.PostAsJsonAsync("/api/tasks", draft), "sku", "sku may contain only letters, digits, '-', '_', '.' and '/'.");
        await ExpectMessageAsync(
            await _staff.Planner.PostAsJsonAsync("/api/tasks", draft with { Sku = new string('S', 65) }), "sku", "sku must be at most 64 characters.");
    }

    private static async Task ExpectMessageAsync(HttpResponseMessage response, string field, string message)
    {
        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.Equal(message, Assert.Single(problem.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString());
        Assert.DoesNotContain("Warehouse.", problem.ToString());
        Assert.DoesNotContain("System.", problem.ToString());
    }
}
