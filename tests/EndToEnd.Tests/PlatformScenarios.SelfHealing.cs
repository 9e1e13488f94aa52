using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

/// <summary>
/// The AppHost heals the platform (Warehouse.Hosting/Supervision): a process killed with SIGKILL is started again by
/// itself, nothing acknowledged is lost or counted twice, a resource that keeps dying raises ResourceCrashLooping, and a
/// resource stopped on purpose stays stopped.
/// </summary>
public sealed partial class PlatformScenarios
{
    /// <summary>Backoff 1 s, then a .NET service's start on a loaded 2-core machine.</summary>
    private static readonly TimeSpan ComesBackWithin = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_killed_task_service_comes_back_by_itself_and_every_acknowledged_scan_is_stored_exactly_once()
    {
        var warehouse = Traffic.NewWarehouse("HEAL");
        var taskId = (await Traffic.CreateTaskAsync(platform.Client("planner", warehouse), warehouse, quantity: 100_000)).GetProperty("id").GetGuid();
        // Four handhelds, each its own user (the gateway limits each user to 50 requests a second), pacing themselves.
        var handhelds = Enumerable.Range(0, 4).Select(i => (Client: platform.Client("operator", warehouse, $"handheld-{i}"), Sent: new List<Guid>())).ToList();
        var attempted = new ConcurrentBag<Guid>();
        var acknowledged = new ConcurrentBag<Guid>();
        var failed = 0;

        // Bounded load: scans with unique ids from 4 handhelds until the service has been back for 50 acknowledged scans.
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var afterRecovery = 0;
        var recovered = false;
        var load = Task.WhenAll(handhelds.Select(handheld => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && Volatile.Read(ref afterRecovery) < 50)
            {
                var scanId = Guid.NewGuid();
                attempted.Add(scanId);
                handheld.Sent.Add(scanId);
                using var response = await Traffic.ScanAsync(handheld.Client, taskId, scanId: scanId);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    acknowledged.Add(scanId);
                    if (Volatile.Read(ref recovered))
                    {
                        Interlocked.Increment(ref afterRecovery);
                    }
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(25), CancellationToken.None);
            }
        })));

        await Eventually.TrueAsync(() => acknowledged.Count >= 50, TimeSpan.FromSeconds(30), "scans acknowledged before the kill");
        var clock = Stopwatch.StartNew();
        await platform.Host.KillAsync("taskservice");
        using (var bound = new CancellationTokenSource(ComesBackWithin))
        {
            // The killed service is Finished until the supervisor starts it again: wait through that, not stop at it.
            await platform.Host.App.ResourceNotifications.WaitForResourceHealthyAsync("taskservice", WaitBehavior.WaitOnResourceUnavailable, bound.Token);
        }

        var back = clock.Elapsed;
        Volatile.Write(ref recovered, true);
        await load;
        Assert.False(stop.IsCancellationRequested, "the load did not see 50 acknowledged scans after the restart");

        // Every scan is stored at most once (scan_id is the key) and counted once; every acknowledged one is stored.
        var reader = handhelds[0].Client;
        var doneBefore = await QuantityDoneAsync(reader, taskId);
        Assert.InRange(doneBefore, acknowledged.Count, attempted.Count);
        // Replaying every attempted scan id (idempotent per scan id) stores the ones whose answer was lost and counts none twice.
        await Task.WhenAll(handhelds.Select(async handheld =>
        {
            foreach (var scanId in handheld.Sent)
            {
                using var replay = await Traffic.ScanAsync(handheld.Client, taskId, scanId: scanId);
                Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
                await Task.Delay(TimeSpan.FromMilliseconds(25));
            }
        }));

        Assert.Equal(attempted.Count, await QuantityDoneAsync(reader, taskId));
        await Eventually.TrueAsync(async () => await RestartsAsync("taskservice") == 1, Pipeline("node"), "the restart counted in Prometheus");
        output.WriteLine($"taskservice killed: healthy again after {back.TotalSeconds:F1} s (bound {ComesBackWithin.TotalSeconds:F0} s); " +
            $"{attempted.Count} scans sent, {acknowledged.Count} acknowledged, {failed} failed while it was down, {doneBefore} stored before the replay");
    }

    [Fact]
    public async Task A_resource_that_keeps_dying_raises_ResourceCrashLooping_one_restart_does_not_and_a_stopped_one_stays_stopped()
    {
        const string looping = "redis-exporter";
        var before = await RestartsAsync(looping);

        // One crash: started again and counted, and no crash-loop alert.
        await platform.Host.KillAsync(looping);
        await WaitRunningAsync(looping);
        await Eventually.TrueAsync(async () => await RestartsAsync(looping) == before + 1, Pipeline("node"), "the restart counted in Prometheus");
        Assert.DoesNotContain(await CrashLoopingAsync(), a => HasService(a, looping));

        // Two more within minutes: a loop.
        for (var i = 0; i < 2; i++)
        {
            await platform.Host.KillAsync(looping);
            await WaitRunningAsync(looping);
        }

        await Eventually.TrueAsync(async () => (await CrashLoopingAsync()).Any(a => HasService(a, looping)), Pipeline("node"), "ResourceCrashLooping pending for redis-exporter");

        // Stopped on purpose: stays stopped. The proof is a later crash of another resource being healed first: the
        // supervisor handles changes in order, so a stop it took for a crash would have been restarted before it.
        const string stopped = "postgres-exporter";
        var stoppedRestarts = await RestartsAsync(stopped);
        await platform.Host.StopResourceAsync(stopped);
        try
        {
            await platform.Host.KillAsync("node-exporter");
            await WaitRunningAsync("node-exporter");
            Assert.True(platform.Host.App.ResourceNotifications.TryGetCurrentState(stopped, out var state));
            Assert.Contains(state.Snapshot.State?.Text, KnownResourceStates.TerminalStates);
            await Eventually.TrueAsync(async () => await RestartsAsync("node-exporter") >= 1, Pipeline("node"), "node-exporter's restart counted");
            Assert.Equal(stoppedRestarts, await RestartsAsync(stopped));
        }
        finally
        {
            await platform.Host.StartResourceAsync(stopped);
        }
    }

    private async Task WaitRunningAsync(string resource)
    {
        using var bound = new CancellationTokenSource(ComesBackWithin);
        await platform.Host.App.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.Running, bound.Token);
    }

    private async Task<JsonElement[]> CrashLoopingAsync() =>
        [.. await platform.Monitoring.PrometheusAlertsAsync("ResourceCrashLooping", "pending"), .. await platform.Monitoring.PrometheusAlertsAsync("ResourceCrashLooping")];

    /// <summary>The restarts Prometheus has seen for the resource (node_exporter's textfile collector); NaN-free: 0 when absent.</summary>
    private async Task<long> RestartsAsync(string resource) =>
        await platform.Monitoring.ScalarAsync($"warehouse_resource_restarts_total{{resource=\"{resource}\"}}") is { } value
            ? (long)double.Parse(value, CultureInfo.InvariantCulture)
            : 0;

    private static async Task<int> QuantityDoneAsync(HttpClient client, Guid taskId) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/tasks/{taskId}")).GetProperty("quantityDone").GetInt32();
}
