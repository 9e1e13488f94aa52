using System.Diagnostics;
using Warehouse.ProcessHost.Hosting;
using Warehouse.ProcessHost.Tests.Infrastructure;
using Warehouse.Testing;

namespace Warehouse.ProcessHost.Tests;

/// <summary>The CLI as a real process: one host per data dir, and recovery after the host is SIGKILLed.</summary>
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private readonly TempDir _dataDir = TestPlatform.NewDataDir();
    private readonly List<RunningProcess> _orphans = [];
    private Process? _host;
    private Platform? _platform;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>
    /// Stops everything this test may have left, whichever assertion failed: the CLI with its children, the second
    /// host, and the children the killed CLI left behind (re-parented, so no longer in its process tree).
    /// </summary>
    public Task DisposeAsync() => Teardown.RunAsync(
        KillHostAsync,
        () => Teardown.DisposeAllAsync(_platform),
        () => Task.WhenAll(_orphans.Select(o => o.KillAsync(TimeSpan.FromSeconds(10)))),
        () => Teardown.DisposeAllAsync(_dataDir));

    [Fact]
    public async Task A_second_host_is_refused_and_processes_of_a_killed_host_are_stopped_by_the_next_start()
    {
        var dataDir = _dataDir.Combine("data");
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "ProcessHost.dll"), "--infra-only", "--free-ports", "--fast-postgres", "-q",
                "--data-dir", dataDir, "--monitoring-dir", TestPlatform.FixtureMonitoringDir, "--repo", TestPlatform.RepoRoot,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var host = _host = Process.Start(info)!;
        var endpointsFile = Path.Combine(dataDir, "endpoints.json");
        await Eventually.TrueAsync(() => File.Exists(endpointsFile) || host.HasExited, TimeSpan.FromSeconds(60), "the CLI writes endpoints.json");

        if (!File.Exists(endpointsFile))
        {
            Assert.Fail("the CLI exited without writing endpoints.json: " + await host.StandardError.ReadToEndAsync());
        }

        var orphans = EndpointsFile.Read(endpointsFile).Pids;
        _orphans.AddRange(orphans.Values.Select(RunningProcess.Of).OfType<RunningProcess>());
        Assert.Equal(8, orphans.Count);

        // While the CLI runs, a second host on the same data dir is refused and changes nothing.
        _platform = new Platform(TestPlatform.Options(dataDir));
        var refused = await Assert.ThrowsAsync<PlatformException>(() => _platform.StartAsync());
        Assert.Contains("Another ProcessHost", refused.Message);
        Assert.Equal(orphans, EndpointsFile.Read(endpointsFile).Pids);

        // The host dies without a chance to clean up: its children live on.
        host.Kill(entireProcessTree: false);
        await host.WaitForExitAsync();
        Assert.All(orphans.Values, pid => Assert.False(ProcessAssert.IsGone(pid)));

        // The next start stops them (Postgres cleanly) and takes over.
        await _platform.StartAsync();
        await ProcessAssert.AllGoneAsync(orphans.Values, TimeSpan.FromSeconds(5));
        Assert.Equal(8, _platform.ProcessIds.Count);
        var log = await File.ReadAllTextAsync(_platform.Paths.LogFile("processhost"));
        Assert.Contains("left running by a previous run", log);
        Assert.DoesNotContain("was not properly shut down", await File.ReadAllTextAsync(_platform.Paths.LogFile("postgres")));
    }

    private async Task KillHostAsync()
    {
        if (_host is null)
        {
            return;
        }

        using (_host)
        {
            try
            {
                _host.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It had already exited (the test kills it on purpose).
            }

            await _host.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
