using System.Diagnostics;
using System.Net;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

public sealed partial class PlatformScenarios
{
    [Fact, Order(3)]
    public async Task Faults_fire_error_and_scan_latency_alerts_a_stopped_service_pages_and_silences_them_and_all_resolve()
    {
        try
        {
            await AlertPipelineAsync();
        }
        finally
        {
            // Leave the platform as the next scenario expects it, whatever happened here.
            await platform.Platform.ClearFaultsAsync("taskservice");
            if (!platform.Platform.Component("taskservice").IsRunning)
            {
                await platform.Platform.StartComponentAsync("taskservice");
            }
        }
    }

    private async Task AlertPipelineAsync()
    {
        var warehouse = Traffic.NewWarehouse("ALR");
        var operatorClient = platform.Client("operator", warehouse);
        var taskId = (await Traffic.CreateTaskAsync(platform.Client("planner"), warehouse, quantity: 100_000)).GetProperty("id").GetGuid();

        // 1. Fault switches on: half the task service's API calls fail, all are 400 ms slow.
        var faultsOn = DateTime.UtcNow;
        await platform.Platform.SetFaultsAsync("taskservice", errorRate: 0.5, latencyMs: 400, pathPrefix: "/api");
        using (var traffic = new CancellationTokenSource())
        {
            var driver = DriveAsync(operatorClient, taskId, warehouse, traffic.Token);
            var fireBound = TimeSpan.FromMinutes(1) + Config.AlertFor("HighErrorRate", "critical") + Pipeline("taskservice") + Slack;
            await WaitForFiringAsync("HighErrorRate", "taskservice", fireBound, "critical");
            await WaitForFiringAsync("HighScanLatency", "taskservice", fireBound);
            Report("faults on → HighErrorRate and HighScanLatency firing", DateTime.UtcNow - faultsOn, fireBound);
            await platform.Webhook.WaitForAsync(
                d => d.Path == "/slack/warning" && d.Body.Contains("HighScanLatency on taskservice"), Config.GroupWait("warning") + Slack, "HighScanLatency in the warning channel");
            await traffic.CancelAsync();
            await driver;
        }

        // 2. The service stops: ServiceDown pages, and the symptoms it explains are inhibited.
        var stoppedAt = DateTime.UtcNow;
        await platform.Platform.StopComponentAsync("taskservice");
        var downBound = Config.AlertFor("ServiceDown") + Pipeline("blackbox") + Config.GroupWait("critical") + Slack;
        var page = await platform.Webhook.WaitForAsync(
            d => d.Path == "/slack/critical" && d.ReceivedAt > stoppedAt && d.Body.Contains("[FIRING:1] ServiceDown on taskservice"), downBound, "ServiceDown page");
        Report("taskservice stopped → ServiceDown page at the webhook", page.ReceivedAt - stoppedAt, downBound);
        Assert.Contains("ServiceDown.md", page.Body);
        Assert.Contains("Service taskservice is down", page.Body);
        await Eventually.TrueAsync(async () => await InhibitedAsync("HighErrorRate") && await InhibitedAsync("HighScanLatency"),
            TimeSpan.FromSeconds(30), "taskservice's error and latency alerts inhibited by ServiceDown");

        // 3. Faults off, service back: the page resolves; healthy traffic brings the symptoms back under threshold.
        await platform.Platform.ClearFaultsAsync("taskservice");
        var restartedAt = DateTime.UtcNow;
        await platform.Platform.StartComponentAsync("taskservice");
        var resolvedBound = Pipeline("blackbox") + Config.GroupInterval("critical") + Slack;
        var resolved = await platform.Webhook.WaitForAsync(
            d => d.Path == "/slack/critical" && d.ReceivedAt > restartedAt && d.Body.Contains("[RESOLVED] ServiceDown on taskservice"), resolvedBound, "ServiceDown resolved");
        Report("taskservice started → ServiceDown resolved at the webhook", resolved.ReceivedAt - restartedAt, resolvedBound);

        await FloodWithHealthyTrafficAsync(taskId);
        await Eventually.TrueAsync(async () =>
            !(await platform.Monitoring.PrometheusAlertsAsync("HighErrorRate")).Any(IsTaskService)
            && !(await platform.Monitoring.PrometheusAlertsAsync("HighScanLatency")).Any(IsTaskService),
            Pipeline("taskservice") + Slack, "HighErrorRate and HighScanLatency resolved for taskservice");
    }

    private static bool IsTaskService(System.Text.Json.JsonElement alert) =>
        alert.GetProperty("labels").TryGetProperty("service", out var service) && service.GetString() == "taskservice";

    private async Task<bool> InhibitedAsync(string alertname)
    {
        var alerts = (await platform.Monitoring.AlertmanagerAlertsAsync(alertname)).Where(IsTaskService).ToList();
        return alerts.Count > 0 && alerts.All(a => a.GetProperty("status").GetProperty("inhibitedBy").GetArrayLength() > 0);
    }

    /// <summary>A handheld's steady work through the gateway: scans and list refreshes, a few per second.</summary>
    private static async Task DriveAsync(HttpClient operatorClient, Guid taskId, string warehouse, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await Task.WhenAll(Traffic.ScanAsync(operatorClient, taskId), operatorClient.GetAsync($"/api/tasks?warehouseId={warehouse}"));
            await Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None);
        }
    }

    /// <summary>
    /// Sends enough fast, successful requests straight to the service that the failed and slow ones of the fault
    /// become under 1% and 5% of the 5-minute windows; how many is read from Prometheus, not guessed.
    /// </summary>
    private async Task FloodWithHealthyTrafficAsync(Guid taskId)
    {
        var errors = await CountAsync("""sum(increase(http_server_request_duration_seconds_count{job="taskservice",http_response_status_code=~"5.."}[10m]))""");
        var scans = await CountAsync("""sum(increase(http_server_request_duration_seconds_count{job="taskservice",http_route="/api/scan"}[10m]))""");
        var reads = (int)Math.Ceiling(errors * 150) + 100;
        var fastScans = (int)Math.Ceiling(scans * 30) + 100;
        var client = platform.ServiceClient("taskservice", "operator");
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, reads + fastScans), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            using var response = i < reads
                ? await client.GetAsync($"/api/tasks/{taskId}", ct)
                : await Traffic.ScanAsync(client, Guid.NewGuid());
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"unexpected {(int)response.StatusCode}");
        });
        output.WriteLine($"healthy flood: {reads} reads + {fastScans} fast scans in {clock.Elapsed.TotalSeconds:F1} s");
    }

    private async Task<double> CountAsync(string promql) =>
        (await platform.Monitoring.QueryAsync(promql)).Select(r => double.Parse(r.GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
}
