using System.Net;
using Warehouse.Testing;
using static Warehouse.EndToEnd.Tests.PlatformChecks;

namespace Warehouse.EndToEnd.Tests;

/// <summary>
/// One of two task-service copies lost. Killed with SIGKILL under scan load, the supervisor starts it again within
/// seconds, so it shows what clients see and what is stored. Stopped (the resource command: it stays down), it shows
/// what monitoring says: ServiceInstanceDown's <c>for</c> outlasts a killed copy's return.
/// </summary>
public sealed partial class ReplicaScenarios
{
    private const string SecondTaskService = "taskservice-2";

    /// <summary>
    /// Every scan answered 200 is stored once; a scan the kill broke is answered as the copy's outage (a problem detail
    /// naming taskservice), never as a 500 and never left unanswered (the load fails on a request without an answer).
    /// The gateway does not retry it (docs/apphost.md, "Copies of a service"): the handheld sends it again with the same
    /// scan id, which the replay does, and nothing is counted twice.
    /// </summary>
    [Fact]
    public async Task A_killed_task_service_copy_under_scan_load_loses_no_acknowledged_scan_and_counts_none_twice()
    {
        using var load = await ScanLoad.StartAsync(platform, "RKILL");
        var back = await platform.KillAndAwaitRecoveryAsync(SecondTaskService, () => platform.Host.KillAsync(SecondTaskService), PlatformScenarios.ComesBackWithin);
        load.Recovered();
        await load.FinishAsync();

        int stored;
        await using (var database = await platform.DatabaseAsync())
        {
            stored = await load.AssertStoredInPostgresAsync(database);
        }

        output.WriteLine($"{SecondTaskService} killed under scan load through {platform.Gateways.Count} gateways: healthy again after {back.TotalSeconds:F1} s; " +
            $"{load}; {stored} stored in Postgres; failed requests: {load.Failures.Count}");
        Assert.All(load.Failures, failure =>
        {
            Assert.Contains(failure.Status, new[] { HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable });
            Assert.Equal(("application/problem+json", "taskservice"), (failure.ContentType, failure.Dependency));
        });
        await load.AssertStoredExactlyOnceAsync();
    }

    /// <summary>
    /// The copy stays stopped past ServiceInstanceDown's window and <c>for</c>: the warning fires naming the copy, reaches
    /// the warning channel, and no one is paged: ServiceDown needs every copy gone.
    /// </summary>
    [Fact]
    public async Task One_task_service_copy_down_is_the_ServiceInstanceDown_warning_naming_it_and_pages_nobody()
    {
        // Probed where it answers /alive, which names the copy in `instance`.
        var port = platform.ManagementEndpoint(SecondTaskService).Port;
        var faultAt = DateTime.UtcNow;
        await platform.Host.StopResourceAsync(SecondTaskService);
        try
        {
            // The rule looks back one minute (max_over_time) before its `for` starts.
            var bound = TimeSpan.FromMinutes(1) + Config.AlertFor("ServiceInstanceDown") + Config.Pipeline("blackbox") + Config.GroupWait("warning") + PlatformScenarios.Slack;
            var warning = await platform.Inbox.WaitForAsync(
                d => d.Channel == "/slack/warning" && d.ReceivedAt > faultAt && d.Body.Contains("ServiceInstanceDown on taskservice"), bound, "ServiceInstanceDown in the warning channel");
            output.WriteLine($"{SecondTaskService} stopped → ServiceInstanceDown in {warning.Channel} after {(warning.ReceivedAt - faultAt).TotalSeconds:F0} s (bound {bound.TotalSeconds:F0} s)");

            var firing = (await platform.Monitoring.PrometheusAlertsAsync("ServiceInstanceDown")).Where(a => HasService(a, "taskservice")).ToList();
            var alert = Assert.Single(firing);
            Assert.Equal("warning", alert.GetProperty("labels").GetProperty("severity").GetString());
            Assert.Contains($":{port}/", alert.GetProperty("labels").GetProperty("instance").GetString());
            Assert.False(await platform.AlertActiveAsync("ServiceDown", "taskservice"), "ServiceDown is pending or firing with one copy still answering");
            Assert.Empty(await platform.PagesSinceAsync(faultAt, output));
        }
        finally
        {
            await Teardown.RunAsync(() => platform.Host.StartResourceAsync(SecondTaskService));
        }
    }
}
