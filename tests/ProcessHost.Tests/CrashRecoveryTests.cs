using System.Diagnostics;
using Warehouse.ProcessHost.Hosting;
using Warehouse.ProcessHost.Tests.Infrastructure;

namespace Warehouse.ProcessHost.Tests;

/// <summary>The CLI as a real process: one host per data dir, and recovery after the host is SIGKILLed.</summary>
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private readonly string _dataDir = TestPlatform.NewDataDir();
    private Process? _host;
    private Platform? _platform;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is { HasExited: false })
        {
            _host.Kill(entireProcessTree: true);
        }

        _host?.Dispose();
        if (_platform is not null)
        {
            await _platform.DisposeAsync();
        }

        TestPlatform.DeleteDataDir(_dataDir);
    }

    [Fact]
    public async Task ASecondHostIsRefusedAndProcessesOfAKilledHostAreStoppedByTheNextStart()
    {
        var dataDir = Path.Combine(_dataDir, "data");
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
        _host = Process.Start(info)!;
        var endpointsFile = Path.Combine(dataDir, "endpoints.json");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(endpointsFile) && !_host.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(File.Exists(endpointsFile), "the CLI did not write endpoints.json: " + (_host.HasExited ? await _host.StandardError.ReadToEndAsync() : "timeout"));
        var orphans = EndpointsFile.Read(endpointsFile).Pids;
        Assert.Equal(8, orphans.Count);

        // While the CLI runs, a second host on the same data dir is refused and changes nothing.
        _platform = new Platform(TestPlatform.Options(dataDir));
        var refused = await Assert.ThrowsAsync<PlatformException>(() => _platform.StartAsync());
        Assert.Contains("Another ProcessHost", refused.Message);
        Assert.Equal(orphans, EndpointsFile.Read(endpointsFile).Pids);

        // The host dies without a chance to clean up: its children live on.
        _host.Kill(entireProcessTree: false);
        await _host.WaitForExitAsync();
        Assert.All(orphans.Values, pid => Assert.False(ProcessAssert.IsGone(pid)));

        // The next start stops them (Postgres cleanly) and takes over.
        await _platform.StartAsync();
        await ProcessAssert.AllGoneAsync(orphans.Values, TimeSpan.FromSeconds(5));
        Assert.Equal(8, _platform.ProcessIds.Count);
        var log = await File.ReadAllTextAsync(_platform.Paths.LogFile("processhost"));
        Assert.Contains("left running by a previous run", log);
        Assert.DoesNotContain("was not properly shut down", await File.ReadAllTextAsync(_platform.Paths.LogFile("postgres")));
    }
}
