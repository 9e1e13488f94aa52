using System.Net;
using Warehouse.Contracts.Tasks;
using Warehouse.Security;
using Warehouse.TaskService.Model;
using Warehouse.Testing;

namespace Warehouse.TaskService.Tests;

[Collection(TaskServiceCollection.Name)]
public sealed class HealthAndMetricsTests(TaskServiceFixture fixture)
{
    [Fact]
    public async Task Health_reports_each_dependency_and_alive_only_the_process()
    {
        var client = fixture.Factory.CreateClient();
        var health = await (await client.GetAsync("/health")).ExpectAsync(HttpStatusCode.OK);
        var alive = await (await client.GetAsync("/alive")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal(["postgres", "redis", "self"], health.GetProperty("checks").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(["self"], alive.GetProperty("checks").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Metrics_of_a_busy_service_pass_promtool_and_carry_the_contract()
    {
        await using var service = fixture.StartService();
        var warehouse = TaskApiClient.NewWarehouse();
        var operatorClient = fixture.ClientOf(service, Roles.Operator, warehouse);
        var task = await fixture.ClientOf(service, Roles.Planner, warehouse).CreateAsync(warehouse);
        var scanId = Guid.NewGuid();
        Assert.False((await (await operatorClient.ScanAsync(scanId, task.Id, 1)).ReadAsync<ScanResponse>(HttpStatusCode.OK)).Duplicate);
        Assert.True((await (await operatorClient.ScanAsync(scanId, task.Id, 1)).ReadAsync<ScanResponse>(HttpStatusCode.OK)).Duplicate);
        await (await operatorClient.ScanAsync(Guid.NewGuid(), task.Id, 99)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "quantity");

        var response = await service.CreateClient().GetAsync("/metrics");
        var exposition = await response.Content.ReadAsStringAsync();
        var promtool = await Promtool.CheckMetricsAsync(exposition);

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.True(promtool.ExitCode == 0, promtool.ToString());
        // A fresh service: each known series starts at 0, so every count is exactly what the calls above did (the task
        // was created assigned, and its first scan started it).
        (string Series, double? Count)[] counted =
        [
            ("warehouse_scans_total{outcome=\"accepted\"}", 1), ("warehouse_scans_total{outcome=\"duplicate\"}", 1),
            ("warehouse_scans_total{outcome=\"rejected\"}", 1), ("warehouse_task_transitions_total{status=\"assigned\"}", 1),
            ("warehouse_task_transitions_total{status=\"in_progress\"}", 1), ("warehouse_task_transitions_total{status=\"done\"}", 0),
        ];
        Assert.Equal(counted, counted.Select(c => (c.Series, Exposition.Value(exposition, c.Series))));

        foreach (var series in new[]
        {
            "http_server_request_duration_seconds_bucket{", "le=\"+Inf\"", "db_client_operation_duration_seconds_bucket{",
            "db_client_connections_usage{", "dotnet_process_memory_working_set_bytes ", "target_info{",
            "http_route=\"/api/scan\"",
        })
        {
            Assert.Contains(series, exposition);
        }
    }

    /// <summary>rate() cannot see a series' first sample: every known series exists, at 0, before the first event.</summary>
    [Fact]
    public async Task A_fresh_service_exposes_its_counters_at_zero()
    {
        var exposition = await Exposition.OfFreshServiceAsync(fixture);

        string[] series =
        [
            "warehouse_scans_total{outcome=\"accepted\"}", "warehouse_scans_total{outcome=\"duplicate\"}", "warehouse_scans_total{outcome=\"rejected\"}",
            .. TaskStatuses.All.Select(status => $"warehouse_task_transitions_total{{status=\"{status}\"}}"),
        ];
        Assert.All(series, s => Assert.Equal(0, Exposition.Value(exposition, s)));
    }
}
