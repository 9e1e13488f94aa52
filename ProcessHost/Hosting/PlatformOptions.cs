using Warehouse.ProcessHost.Binaries;

namespace Warehouse.ProcessHost.Hosting;

/// <summary>Everything that varies between the CLI (seed ports, <c>.platform/</c>) and tests (free ports, temp dirs).</summary>
public sealed record PlatformOptions
{
    /// <summary>Repository root (holds Platform.sln, monitoring/, the service projects).</summary>
    public required string RepoRoot { get; init; }

    /// <summary>State, secrets and logs; default <c>&lt;repo&gt;/.platform</c> (gitignored).</summary>
    public string? DataDir { get; init; }

    /// <summary>Ports per component; default the seed layout. Ignored when <see cref="UseFreePorts"/>.</summary>
    public PlatformPorts Ports { get; init; } = PlatformPorts.Defaults();

    public bool UseFreePorts { get; init; }

    /// <summary>Build configuration of the service dlls to run (and to build).</summary>
    public string Configuration { get; init; } = "Debug";

    /// <summary>Run <c>dotnet build</c> for the four services before starting them (the CLI does; e2e tests already built them).</summary>
    public bool BuildServices { get; init; }

    /// <summary>False starts only the infrastructure (databases, exporters, monitoring).</summary>
    public bool IncludeServices { get; init; } = true;

    /// <summary>Wipe the state under the data dir (Postgres cluster, Redis, Prometheus TSDB, Alertmanager; keeps secrets.json and logs/) before starting.</summary>
    public bool Reset { get; init; }

    /// <summary>Throwaway clusters: fsync, synchronous_commit and full_page_writes off, initdb --no-sync.</summary>
    public bool FastPostgres { get; init; }

    /// <summary>Receives every log line as (component, line); the files under &lt;data&gt;/logs get them regardless.</summary>
    public Action<string, string>? Log { get; init; }

    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(90);

    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Prometheus <c>--rules.alert.resend-delay</c> (tests use a few seconds); null: monitoring/prometheus/prometheus.flags or 1m.</summary>
    public TimeSpan? AlertResendDelay { get; init; }

    /// <summary>Extra Prometheus flags, overriding same-named ones (e.g. <c>--storage.tsdb.retention.time=1d</c>).</summary>
    public IReadOnlyList<string> PrometheusExtraArgs { get; init; } = [];

    /// <summary><c>monitoring/</c>: default <c>&lt;repo&gt;/monitoring</c>. Individual files below override parts of it.</summary>
    public string? MonitoringDir { get; init; }

    public string? PrometheusConfigFile { get; init; }

    public string? PrometheusRulesDir { get; init; }

    public string? AlertmanagerConfigFile { get; init; }

    /// <summary>Where Alertmanager's default and heartbeat webhooks go (the config's alert relay); null: a closed local port.</summary>
    public string? AlertRelayUrl { get; init; }

    public string? BlackboxConfigFile { get; init; }

    /// <summary><c>ASPNETCORE_ENVIRONMENT</c> of the services.</summary>
    public string EnvironmentName { get; init; } = "Development";

    /// <summary>Extra environment for every service (e.g. log levels in tests).</summary>
    public IReadOnlyDictionary<string, string> ServiceEnvironment { get; init; } = new Dictionary<string, string>();

    public IBinaryLocator BinaryLocator { get; init; } = new BinaryLocator();

    /// <summary>Finds the repository root by walking up from <paramref name="start"/> to Platform.sln.</summary>
    public static string FindRepoRoot(string? start = null)
    {
        foreach (var origin in new[] { start, Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = origin is null ? null : new DirectoryInfo(origin); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Platform.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new PlatformException("Could not find the repository root (a folder with Platform.sln). Run from inside the repository or pass --repo.");
    }
}
