using AppHost.Operations;
using System.Diagnostics;
using System.Net;
using Warehouse.Testing;
using static Warehouse.EndToEnd.Tests.PlatformChecks;

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

        // The fast burn looks at the last hour of the gateway's API requests as well as the last 5 minutes: whatever the
        // scenarios before this one sent, the fault's traffic is sized so that its failures pass the threshold in the
        // first minute (a handheld's loop sends about 4 requests a second, half of which fail during the fault).
        var lastHour = await ScalarAsync("""sum(job:slo_availability_requests:rate1h{job="apigateway"}) * 3600""");
        var handhelds = (int)Math.Clamp(Math.Ceiling(2 * 0.0144 * (double.IsNaN(lastHour) ? 0 : lastHour) / 120), 1, 48);
        output.WriteLine($"{lastHour:F0} API requests in the last hour: {handhelds} handheld loops during the fault");
        using var traffic = new CancellationTokenSource();
        var driver = Task.WhenAll(Enumerable.Range(0, handhelds).Select(_ => DriveAsync(operatorClient, taskId, warehouse, traffic.Token)));
        try
        {
            // 1. One backend fault (the dashboard's command): half the task service's API calls fail, and the gateway
            //    passes the 5xx through. Users feel it, so the availability SLO pages, naming the service whose routes
            //    burn; the task service's error rate is the warning that says where; the gateway's pass-through errors
            //    are not counted twice.
            var faultsOn = DateTime.UtcNow;
            await platform.Host.ExecuteAsync("taskservice", FaultSwitchCommands.InjectErrors);
            // The rate windows need a minute of faulty traffic before a rule can see the ratio, then the hold.
            var fireBound = TimeSpan.FromMinutes(1) + Config.AlertFor("ApiAvailabilityBudgetFastBurn") + Pipeline("apigateway") + Slack;
            await WaitForFiringAsync("ApiAvailabilityBudgetFastBurn", "taskservice", fireBound);
            await WaitForFiringAsync("HighErrorRate", "taskservice", fireBound, "warning");
            Report("errors on → ApiAvailabilityBudgetFastBurn and HighErrorRate firing", DateTime.UtcNow - faultsOn, fireBound);
            await platform.Inbox.WaitForAsync(
                d => d.Channel == "/slack/warning" && d.Body.Contains("HighErrorRate on taskservice"), Config.GroupWait("warning") + Slack, "HighErrorRate in the warning channel");
            await platform.Inbox.WaitForAsync(
                d => d.Channel.StartsWith("/pagerduty/", StringComparison.Ordinal) && d.Summary.Contains("[FIRING:1] ApiAvailabilityBudgetFastBurn on taskservice"),
                Config.GroupWait("critical") + Slack, "ApiAvailabilityBudgetFastBurn paged");
            // The dashboards scenario burns the same budget of the same service; if it ran first, Alertmanager has already
            // paged this group (repeat 12h) and sends nothing new: no page at all since the fault is then right too.
            var pages = await platform.PagesSinceAsync(faultsOn, output);
            await AssertOnlyPageAsync(since: faultsOn, pages.Count == 0 ? [] : ["ApiAvailabilityBudgetFastBurn on taskservice"]);
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
        }
        finally
        {
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
            async () => await InhibitedAsync("HighErrorRate", "taskservice") && await InhibitedAsync("ApiAvailabilityBudgetFastBurn", "taskservice"),
            TimeSpan.FromSeconds(30), "taskservice's error alert and the availability burn inhibited by ServiceDown");

        // 4. Faults off, service back: the page resolves; healthy traffic brings the symptoms back under threshold.
        await platform.Host.ExecuteAsync("taskservice", FaultSwitchCommands.ClearFaults);
        var restartedAt = DateTime.UtcNow;
        await platform.Host.StartResourceAsync("taskservice");
        var resolvedBound = Pipeline("blackbox") + Config.GroupInterval("critical") + Slack;
        var resolved = await platform.Inbox.WaitForAsync(
            d => d.Channel == "/slack/critical" && d.ReceivedAt > restartedAt && d.Body.Contains("[RESOLVED] ServiceDown on taskservice"), resolvedBound, "ServiceDown resolved");
        Report("taskservice started → ServiceDown resolved in the alert inbox", resolved.ReceivedAt - restartedAt, resolvedBound);

        await FloodWithHealthyTrafficAsync([platform.ServiceClient("taskservice", "operator", warehouse)], taskId, async () =>
            await ScalarAsync("""job:http_server_request_errors:ratio_rate5m{job="taskservice"}""") < 0.01
            && await ScalarAsync("""max(job_route:http_server_request_duration_seconds:p95_5m{job="taskservice",http_route=~"/api/scan.*"})""") < 0.25,
            "taskservice under the alert thresholds");
        await Eventually.TrueAsync(async () =>
            !(await platform.Monitoring.PrometheusAlertsAsync("HighErrorRate")).Any(a => HasService(a, "taskservice"))
            && !(await platform.Monitoring.PrometheusAlertsAsync("HighScanLatency")).Any(a => HasService(a, "taskservice")),
            Pipeline("taskservice") + Slack, "HighErrorRate and HighScanLatency resolved for taskservice");
    }

    /// <summary>
    /// One backend fault of 10 minutes, from start to recovery, is exactly one page: the import service dies, ServiceDown
    /// pages once, its resolution is delivered, and nothing pages in the three group intervals after it (where the SLO
    /// burn's second page used to arrive). Under the test host the orchestrator's proxy holds requests to a stopped
    /// service open rather than refusing them, so the gateway records no fast 5xx here and the burn does not build; the
    /// burn's silencing during and after an outage is proven by promtool (the recovery case) and by the inhibit rules on
    /// a live Alertmanager (InhibitionTests).
    /// </summary>
    [Fact]
    public async Task A_ten_minute_outage_and_its_recovery_page_exactly_once()
    {
        var faultAt = DateTime.UtcNow;
        try
        {
            await platform.Host.StopResourceAsync("importservice");
            var downBound = TimeSpan.FromMinutes(1) + Config.AlertFor("ServiceDown") + Pipeline("blackbox") + Config.GroupWait("critical") + Slack;
            await platform.Inbox.WaitForAsync(
                d => d.Channel.StartsWith("/pagerduty/", StringComparison.Ordinal) && d.ReceivedAt > faultAt && d.Summary.Contains("[FIRING:1] ServiceDown on importservice"),
                downBound, "ServiceDown page for importservice");

            // The rest of the 10 minutes down, then back.
            var rest = faultAt + TimeSpan.FromMinutes(10) - DateTime.UtcNow;
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest);
            }

            var restartedAt = DateTime.UtcNow;
            await platform.Host.StartResourceAsync("importservice");
            var resolved = await platform.Inbox.WaitForAsync(
                d => d.Channel == "/slack/critical" && d.ReceivedAt > restartedAt && d.Body.Contains("[RESOLVED] ServiceDown on importservice"),
                Pipeline("blackbox") + Config.GroupInterval("critical") + Slack, "ServiceDown resolved for importservice");

            // A second page would arrive within the first group interval after the resolution.
            await Task.Delay(3 * Config.GroupInterval("critical"));
            var pages = await platform.PagesSinceAsync(faultAt, output);
            output.WriteLine($"pages from the fault to {DateTime.UtcNow - faultAt:mm\\:ss} later (resolved at {resolved.ReceivedAt - faultAt:mm\\:ss}): {string.Join(", ", pages)}");
            Assert.Equal(["ServiceDown on importservice"], pages);
        }
        finally
        {
            await Teardown.RunAsync(() => platform.Host.StartResourceAsync("importservice"));
        }
    }

    /// <summary>
    /// One page per incident, through Alertmanager: the pager received exactly <paramref name="pages"/> ("Alert on
    /// service", in order) since <paramref name="since"/>, each once, and every critical alert Alertmanager holds
    /// active (not inhibited) now is one of them.
    /// </summary>
    private async Task AssertOnlyPageAsync(DateTime since, params string[] pages)
    {
        var pagedSince = await platform.PagesSinceAsync(since, output);
        output.WriteLine($"pages since {since:HH:mm:ss}: {string.Join(", ", pagedSince.DefaultIfEmpty("none"))}");
        Assert.Equal(pages, pagedSince);

        var activeCritical = (await platform.Monitoring.AlertmanagerAlertsAsync())
            .Where(a => a.GetProperty("labels").GetProperty("severity").GetString() == "critical"
                && a.GetProperty("status").GetProperty("state").GetString() == "active")
            .Select(a => $"{a.GetProperty("labels").GetProperty("alertname").GetString()} on {a.GetProperty("labels").GetProperty("service").GetString()}")
            .ToList();
        Assert.NotEmpty(activeCritical);
        Assert.Empty(activeCritical.Except(pages));
    }

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
    /// Sends fast, successful requests through <paramref name="clients"/> in turn (straight to the task service, or
    /// through the gateway as several users, each under its rate limit) until <paramref name="under"/> holds: in
    /// Prometheus's own rules, the failed and slow requests of a fault are diluted under the thresholds of the 5-minute windows.
    /// </summary>
    private async Task FloodWithHealthyTrafficAsync(IReadOnlyList<HttpClient> clients, Guid taskId, Func<Task<bool>> under, string what)
    {
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
                    var client = clients[i % clients.Count];
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
            await Eventually.TrueAsync(async () => flood.IsFaulted ? throw flood.Exception!.InnerException! : await under(),
                TimeSpan.FromMinutes(3), "healthy traffic bringing " + what);
        }
        finally
        {
            await stop.CancelAsync();
            await flood;
        }

        output.WriteLine($"healthy traffic: {sent} requests in {clock.Elapsed.TotalSeconds:F1} s brought {what}");
    }

    /// <summary>The value of a single-series query; NaN when there is no series, so a missing rule never passes.</summary>
    private async Task<double> ScalarAsync(string promql) =>
        await platform.Monitoring.ScalarAsync(promql) is { } value ? double.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : double.NaN;
}
