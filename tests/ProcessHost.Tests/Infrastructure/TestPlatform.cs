using Warehouse.ProcessHost.Hosting;
using Warehouse.Testing;

namespace Warehouse.ProcessHost.Tests.Infrastructure;

/// <summary>Options for a throwaway platform: free loopback ports, a temp data dir, the fixture monitoring config.</summary>
public static class TestPlatform
{
    public static string RepoRoot { get; } = PlatformOptions.FindRepoRoot(AppContext.BaseDirectory);

    /// <summary>A minimal monitoring/ with the real file layout (the repo's own config is tested separately).</summary>
    public static string FixtureMonitoringDir { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "monitoring");

    public static PlatformOptions Options(string dataDir) => new()
    {
        RepoRoot = RepoRoot,
        DataDir = dataDir,
        UseFreePorts = true,
        FastPostgres = true,
        IncludeServices = false,
        MonitoringDir = FixtureMonitoringDir,
        AlertResendDelay = TimeSpan.FromSeconds(2),
        HealthTimeout = TimeSpan.FromSeconds(60),
        StopTimeout = TimeSpan.FromSeconds(15),
    };

    /// <summary>A temp dir for one test's platform, removed on dispose.</summary>
    public static TempDir NewDataDir() => new("processhost-test");
}
