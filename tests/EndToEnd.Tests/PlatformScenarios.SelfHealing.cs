using System.Globalization;
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
    internal static readonly TimeSpan ComesBackWithin = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_killed_task_service_comes_back_by_itself_and_every_acknowledged_scan_is_stored_exactly_once()
    {
        using var load = await ScanLoad.StartAsync(platform, "HEAL");
        var back = await platform.KillAndAwaitRecoveryAsync("taskservice", () => platform.Host.KillAsync("taskservice"), ComesBackWithin);
        load.Recovered();
        await load.FinishAsync();

        var storedBefore = await load.AssertStoredExactlyOnceAsync();
        await Eventually.TrueAsync(async () => await RestartsAsync("taskservice") == 1, Pipeline("node"), "the restart counted in Prometheus");
        output.WriteLine($"taskservice killed: healthy again after {back.TotalSeconds:F1} s (bound {ComesBackWithin.TotalSeconds:F0} s); {load}; {storedBefore} stored before the replay");

        await LeaveHealthyAsync(load.TaskId, load.Warehouse, "taskservice");
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
        Assert.False(await platform.AlertActiveAsync("ResourceCrashLooping", looping));

        // Two more within minutes: a loop.
        for (var i = 0; i < 2; i++)
        {
            await platform.Host.KillAsync(looping);
            await WaitRunningAsync(looping);
        }

        await Eventually.TrueAsync(() => platform.AlertActiveAsync("ResourceCrashLooping", looping), Pipeline("node"), "ResourceCrashLooping pending for redis-exporter");

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

    /// <summary>The restarts Prometheus has seen for the resource (node_exporter's textfile collector); NaN-free: 0 when absent.</summary>
    private async Task<long> RestartsAsync(string resource) =>
        await platform.Monitoring.ScalarAsync($"warehouse_resource_restarts_total{{resource=\"{resource}\"}}") is { } value
            ? (long)double.Parse(value, CultureInfo.InvariantCulture)
            : 0;
}
