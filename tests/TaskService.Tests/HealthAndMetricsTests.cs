using System.Net;
using Warehouse.ServiceDefaults.Security;
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
        var staff = new WarehouseStaff(fixture);
        var operatorClient = staff.Operator;
        var task = await staff.Planner.CreateAsync(staff.Warehouse);
        var scanId = Guid.NewGuid();
        await operatorClient.ScanAsync(scanId, task.Id, 1);
        await operatorClient.ScanAsync(scanId, task.Id, 1);
        await operatorClient.ScanAsync(Guid.NewGuid(), task.Id, 99);

        var response = await fixture.Factory.CreateClient().GetAsync("/metrics");
        var exposition = await response.Content.ReadAsStringAsync();
        var promtool = await Promtool.CheckMetricsAsync(exposition);

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.True(promtool.ExitCode == 0, promtool.ToString());
        foreach (var series in new[]
        {
            "warehouse_scans_total{outcome=\"accepted\"}", "warehouse_scans_total{outcome=\"duplicate\"}", "warehouse_scans_total{outcome=\"rejected\"}",
            "warehouse_task_transitions_total{status=\"assigned\"}", "warehouse_task_transitions_total{status=\"in_progress\"}",
            "http_server_request_duration_seconds_bucket{", "le=\"+Inf\"", "db_client_operation_duration_seconds_bucket{",
            "db_client_connections_usage{", "dotnet_process_memory_working_set_bytes ", "target_info{",
            "http_route=\"/api/scan\"",
        })
        {
            Assert.Contains(series, exposition);
        }
    }
}
