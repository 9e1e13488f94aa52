using AppHost.Operations;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

public sealed partial class PlatformScenarios
{
    [Fact]
    public async Task One_backend_fault_pages_once_a_stopped_service_pages_and_silences_its_symptoms_and_all_resolve()
    {
        try
        {
            await AlertPipelineAsync();
        }
        finally
        {
            // Leave the platform as the next scenario expects it, whatever happened here (each step runs).
            await Teardown.RunAsync(
                () => platform.Host.ExecuteAsync("taskservice", FaultSwitchCommands.ClearFaults),
                () => platform.Host.StartResourceAsync("taskservice"));
        }
    }

    private async Task AlertPipelineAsync()
    {
        var warehouse = Traffic.NewWarehouse("ALR");
        var operatorClient = platform.Client("operator", warehouse);
        var taskId = (await Traffic.CreateTaskAsync(platform.Client("planner", warehouse), warehouse, quantity: 100_000)).GetProperty("id").GetGuid();

        using (var traffic = new CancellationTokenSource())
        {
            var driver = DriveAsync(operatorClient, taskId, warehouse, traffic.Token);

            // 1. One backend fault (the dashboard's command): half the task service's API calls fail, and the gateway
            //    passes the 5xx through. Users feel it, so the availability SLO pages; the task service's error rate
            //    is the warning that says where; the gateway's pass-through errors are not counted twice.
            var faultsOn = DateTime.UtcNow;
            await platform.Host.ExecuteAsync("taskservice", FaultSwitchCommands.InjectErrors);
            // The rate windows need a minute of faulty traffic before a rule can see the ratio, then the hold.
            var fireBound = TimeSpan.FromMinutes(1) + Config.AlertFor("ApiAvailabilityBudgetFastBurn") + Pipeline("apigateway") + Slack;
            await WaitForFiringAsync("ApiAvailabilityBudgetFastBurn", "apigateway", fireBound);
            await WaitForFiringAsync("HighErrorRate", "taskservice", fireBound, "warning");
            Report("errors on → ApiAvailabilityBudgetFastBurn and HighErrorRate firing", DateTime.UtcNow - faultsOn, fireBound);
            await platform.Inbox.WaitForAsync(
                d => d.Channel == "/slack/warning" && d.Body.Contains("HighErrorRate on taskservice"), Config.GroupWait("warning") + Slack, "HighErrorRate in the warning channel");
            await platform.Inbox.WaitForAsync(
                d => d.Channel.StartsWith("/pagerduty/", StringComparison.Ordinal) && d.Summary.Contains("[FIRING:1] ApiAvailabilityBudgetFastBurn on apigateway"),
                Config.GroupWait("critical") + Slack, "ApiAvailabilityBudgetFastBurn paged");
            await AssertOnlyPageAsync("ApiAvailabilityBudgetFastBurn", since: faultsOn);
            var gatewayErrorAlerts = (await platform.Monitoring.PrometheusAlertsAsync("HighErrorRate", "pending"))
                .Concat(await platform.Monitoring.PrometheusAlertsAsync("HighErrorRate"));
            Assert.DoesNotContain(gatewayErrorAlerts, a => HasService(a, "apigateway"));

            // 2. A second fault: every scan is 400 ms slow. The scan-latency rule sees it on the real pipeline (250 ms is
            //    a bucket edge); its hold and routing are the promtool and amtool tests' business, so pending is enough.
            var latencyOn = DateTime.UtcNow;
            await platform.Host.ExecuteAsync("taskservice", FaultSwitchCommands.InjectLatency);
            var pendingBound = TimeSpan.FromMinutes(1) + Pipeline("taskservice") + Slack;
            await Eventually.TrueAsync(
                async () => (await platform.Monitoring.PrometheusAlertsAsync("HighScanLatency", "pending")).Any(a => HasService(a, "taskservice")),
                pendingBound, "HighScanLatency pending for taskservice");
            Report("latency on → HighScanLatency pending", DateTime.UtcNow - latencyOn, pendingBound);
            await traffic.CancelAsync();
            await driver;
        }

        // 3. The service stops: ServiceDown pages, and the symptoms it explains are inhibited, the SLO burn included.
        var stoppedAt = DateTime.UtcNow;
        await platform.Host.StopResourceAsync("taskservice");
        // The rule looks at the last minute of probes (max_over_time), then holds.
        var downBound = TimeSpan.FromMinutes(1) + Config.AlertFor("ServiceDown") + Pipeline("blackbox") + Config.GroupWait("critical") + Slack;
        var page = await platform.Inbox.WaitForAsync(
            d => d.Channel == "/slack/critical" && d.ReceivedAt > stoppedAt && d.Body.Contains("[FIRING:1] ServiceDown on taskservice"), downBound, "ServiceDown page");
        Report("taskservice stopped → ServiceDown page in the alert inbox", page.ReceivedAt - stoppedAt, downBound);
        Assert.Contains("ServiceDown.md", page.Body);
        Assert.Contains("Service taskservice is down", page.Body);
        // The same page reaches the pager and the mailbox (critical routes continue), in the same local inbox.
        foreach (var channel in new[] { "/pagerduty/", "/email" })
        {
            await platform.Inbox.WaitForAsync(
                d => d.Channel == channel && d.ReceivedAt > stoppedAt && d.Summary.Contains("[FIRING:1] ServiceDown on taskservice"), Slack, $"ServiceDown on {channel}");
        }

        await Eventually.TrueAsync(
            async () => await InhibitedAsync("HighErrorRate", "taskservice") && await InhibitedAsync("ApiAvailabilityBudgetFastBurn", "apigateway"),
            TimeSpan.FromSeconds(30), "taskservice's error alert and the availability burn inhibited by ServiceDown");

        // 4. Faults off, service back: the page resolves; healthy traffic brings the symptoms back under threshold.
        await platform.Host.ExecuteAsync("taskservice", FaultSwitchCommands.ClearFaults);
        var restartedAt = DateTime.UtcNow;
        await platform.Host.StartResourceAsync("taskservice");
        var resolvedBound = Pipeline("blackbox") + Config.GroupInterval("critical") + Slack;
        var resolved = await platform.Inbox.WaitForAsync(
            d => d.Channel == "/slack/critical" && d.ReceivedAt > restartedAt && d.Body.Contains("[RESOLVED] ServiceDown on taskservice"), resolvedBound, "ServiceDown resolved");
        Report("taskservice started → ServiceDown resolved in the alert inbox", resolved.ReceivedAt - restartedAt, resolvedBound);

        await FloodWithHealthyTrafficAsync(taskId, warehouse);
        await Eventually.TrueAsync(async () =>
            !(await platform.Monitoring.PrometheusAlertsAsync("HighErrorRate")).Any(a => HasService(a, "taskservice"))
            && !(await platform.Monitoring.PrometheusAlertsAsync("HighScanLatency")).Any(a => HasService(a, "taskservice")),
            Pipeline("taskservice") + Slack, "HighErrorRate and HighScanLatency resolved for taskservice");
    }

    /// <summary>
    /// One page per incident, through Alertmanager: the only critical alert it holds active (not inhibited) is
    /// <paramref name="alertname"/>, and every page the pager received since the fault is that alert.
    /// </summary>
    private async Task AssertOnlyPageAsync(string alertname, DateTime since)
    {
        var activeCritical = (await platform.Monitoring.AlertmanagerAlertsAsync())
            .Where(a => a.GetProperty("labels").GetProperty("severity").GetString() == "critical"
                && a.GetProperty("status").GetProperty("state").GetString() == "active")
            .Select(a => a.GetProperty("labels").GetProperty("alertname").GetString())
            .Distinct()
            .ToList();
        Assert.Equal([alertname], activeCritical);

        var pagedSince = (await platform.Inbox.DeliveriesAsync())
            .Where(d => d.Channel.StartsWith("/pagerduty/", StringComparison.Ordinal) && d.ReceivedAt > since && d.Summary.Contains("[FIRING"))
            .Select(d => Regex.Match(d.Summary, @"\[FIRING:\d+\] (\S+) on").Groups[1].Value)
            .Distinct()
            .ToList();
        Assert.All(pagedSince, name => Assert.Equal(alertname, name));
        output.WriteLine($"pages since the fault: {string.Join(", ", pagedSince.DefaultIfEmpty("none new (already paged)"))}; active critical alerts: {string.Join(", ", activeCritical)}");
    }

    private static bool HasService(System.Text.Json.JsonElement alert, string service) =>
        alert.GetProperty("labels").TryGetProperty("service", out var label) && label.GetString() == service;

    private async Task<bool> InhibitedAsync(string alertname, string service)
    {
        var alerts = (await platform.Monitoring.AlertmanagerAlertsAsync(alertname)).Where(a => HasService(a, service)).ToList();
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
    /// Sends fast, successful requests straight to the service until, in Prometheus's own recording rules, the failed
    /// and slow requests of the fault are under the alert thresholds of the 5-minute windows.
    /// </summary>
    private async Task FloodWithHealthyTrafficAsync(Guid taskId, string warehouse)
    {
        var client = platform.ServiceClient("taskservice", "operator", warehouse);
        var clock = Stopwatch.StartNew();
        var sent = 0;
        using var stop = new CancellationTokenSource();
        var flood = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Parallel.ForEachAsync(Enumerable.Range(0, 400), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
                {
                    // A scan of an unknown task is a fast 404 on the scan route; a read of the real task is a 200.
                    using var response = i % 4 == 0
                        ? await Traffic.ScanAsync(client, Guid.NewGuid())
                        : await client.GetAsync($"/api/tasks/{taskId}", ct);
                    Assert.Equal(i % 4 == 0 ? HttpStatusCode.NotFound : HttpStatusCode.OK, response.StatusCode);
                });
                Interlocked.Add(ref sent, 400);
            }
        });

        try
        {
            await Eventually.TrueAsync(async () =>
                flood.IsFaulted ? throw flood.Exception!.InnerException! :
                await ScalarAsync("""job:http_server_request_errors:ratio_rate5m{job="taskservice"}""") < 0.01
                && await ScalarAsync("""max(job_route:http_server_request_duration_seconds:p95_5m{job="taskservice",http_route=~"/api/scan.*"})""") < 0.25,
                TimeSpan.FromMinutes(3), "healthy traffic bringing taskservice under the alert thresholds");
        }
        finally
        {
            await stop.CancelAsync();
            await flood;
        }

        output.WriteLine($"healthy traffic: {sent} requests in {clock.Elapsed.TotalSeconds:F1} s brought taskservice under the alert thresholds");
    }

    /// <summary>The value of a single-series query; NaN when there is no series, so a missing rule never passes.</summary>
    private async Task<double> ScalarAsync(string promql) =>
        await platform.Monitoring.ScalarAsync(promql) is { } value ? double.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : double.NaN;
}
