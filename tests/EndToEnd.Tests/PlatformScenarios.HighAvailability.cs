using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

/// <summary>
/// Monitoring that survives losing a Prometheus or Alertmanagers (issue 24): two Prometheus, each sending to each of
/// three clustered Alertmanagers, still deliver every page exactly once, with every instance up or some of them gone.
/// A killed instance is started again by the supervisor (a crash that recovers, whose in-memory state is lost); an
/// instance stopped on purpose stays down for the whole incident, so the page is delivered without it.
/// </summary>
public sealed partial class PlatformScenarios
{
    /// <summary>
    /// A cluster member that was not first to send waits <c>--cluster.peer-timeout</c> (15 s) per position before it
    /// sends what the first has not; a duplicate would come within two positions of that.
    /// </summary>
    private static readonly TimeSpan DuplicateWindow = 2 * TimeSpan.FromSeconds(15) + Slack;

    [Fact]
    public async Task With_every_Prometheus_and_Alertmanager_up_one_outage_pages_once_and_resolves_once()
    {
        await AssertOutagePagesOnceAsync("importservice");
    }

    [Fact]
    public Task With_one_Alertmanager_killed_and_another_stopped_an_outage_still_pages_once_and_resolves_once() =>
        WithOneKilledAndOneStoppedAsync(killed: PlatformFixture.PrimaryAlertmanager, stopped: "alertmanager-b");

    [Fact]
    public Task With_one_Prometheus_killed_and_the_other_stopped_an_outage_still_pages_once_and_resolves_once() =>
        WithOneKilledAndOneStoppedAsync(killed: PlatformFixture.PrimaryPrometheus, stopped: "prometheus-b");

    /// <summary>
    /// The supervisor restarts a killed instance within seconds, so one more is stopped on purpose: the page must go
    /// out while that one is really absent and the killed one is coming back.
    /// </summary>
    private async Task WithOneKilledAndOneStoppedAsync(string killed, string stopped)
    {
        await platform.Host.StopResourceAsync(stopped);
        try
        {
            await platform.Host.KillAsync(killed);
            await AssertOutagePagesOnceAsync("importservice");
        }
        finally
        {
            await Teardown.RunAsync(() => platform.Host.StartResourceAsync(stopped));
        }
    }

    /// <summary>
    /// Stops <paramref name="service"/> until ServiceDown has paged, starts it again, and asserts that every receiver
    /// got the page once and its resolution once, with no second copy from another Prometheus or Alertmanager.
    /// </summary>
    private async Task AssertOutagePagesOnceAsync(string service)
    {
        var faultAt = DateTime.UtcNow;
        var alert = $"ServiceDown on {service}";
        // The killed instances' restart and the cluster's peer wait come on top of the usual bound.
        var downBound = TimeSpan.FromMinutes(1) + Config.AlertFor("ServiceDown") + Pipeline("blackbox") + Config.GroupWait("critical") + DuplicateWindow + Slack;
        DateTime restartedAt;
        await platform.Host.StopResourceAsync(service);
        try
        {
            var page = await platform.Inbox.WaitForAsync(
                d => d.Channel.StartsWith("/pagerduty/", StringComparison.Ordinal) && d.ReceivedAt > faultAt && d.Summary.Contains($"[FIRING:1] {alert}"),
                downBound, $"{alert} page");
            Report($"{service} stopped → page", page.ReceivedAt - faultAt, downBound);
        }
        finally
        {
            restartedAt = DateTime.UtcNow;
            await Teardown.RunAsync(() => platform.Host.StartResourceAsync(service));
        }

        var resolvedBound = Pipeline("blackbox") + Config.GroupInterval("critical") + DuplicateWindow + Slack;
        await platform.Inbox.WaitForAsync(
            d => d.Channel == "/slack/critical" && d.ReceivedAt > restartedAt && d.Summary.Contains($"[RESOLVED] {alert}"), resolvedBound, $"{alert} resolved");

        // A second copy from another Prometheus or cluster member would arrive within the peer wait.
        await Task.Delay(DuplicateWindow);
        var deliveries = (await platform.Inbox.DeliveriesAsync())
            .Where(d => d.ReceivedAt > faultAt && d.Summary.Contains(alert))
            .Select(d => $"{d.Channel} {(d.Summary.Contains("[RESOLVED]") ? "resolved" : "firing")}")
            .ToList();
        output.WriteLine($"{alert}: {string.Join(", ", deliveries)}");
        Assert.Contains(deliveries, d => d.StartsWith("/pagerduty/", StringComparison.Ordinal) && d.EndsWith(" firing", StringComparison.Ordinal));
        Assert.Contains("/slack/critical firing", deliveries);
        Assert.Contains("/slack/critical resolved", deliveries);
        Assert.All(deliveries.GroupBy(d => d), copies => Assert.True(copies.Count() == 1, $"{copies.Key} delivered {copies.Count()} times"));
    }
}
