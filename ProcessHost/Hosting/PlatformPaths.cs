namespace Warehouse.ProcessHost.Hosting;

/// <summary>Where everything lives, resolved once from <see cref="PlatformOptions"/>.</summary>
public sealed class PlatformPaths
{
    public PlatformPaths(PlatformOptions options)
    {
        RepoRoot = Path.GetFullPath(options.RepoRoot);
        DataDir = Path.GetFullPath(options.DataDir ?? Path.Combine(RepoRoot, ".platform"));
        MonitoringDir = Path.GetFullPath(options.MonitoringDir ?? Path.Combine(RepoRoot, "monitoring"));
        PrometheusConfigSource = options.PrometheusConfigFile ?? Path.Combine(MonitoringDir, "prometheus", "prometheus.local.yml");
        PrometheusRulesSource = options.PrometheusRulesDir ?? Path.Combine(MonitoringDir, "prometheus", "rules");
        AlertmanagerConfig = options.AlertmanagerConfigFile ?? Path.Combine(MonitoringDir, "alertmanager", "alertmanager.yml");
        BlackboxConfig = options.BlackboxConfigFile ?? Path.Combine(MonitoringDir, "blackbox", "blackbox.yml");
    }

    public string RepoRoot { get; }

    public string DataDir { get; }

    public string MonitoringDir { get; }

    public string PrometheusConfigSource { get; }

    public string PrometheusRulesSource { get; }

    public string AlertmanagerConfig { get; }

    public string BlackboxConfig { get; }

    public string SecretsFile => Path.Combine(DataDir, "secrets.json");

    public string EndpointsFile => Path.Combine(DataDir, "endpoints.json");

    public string LogsDir => Path.Combine(DataDir, "logs");

    public string FaultsDir => Path.Combine(DataDir, "faults");

    /// <summary>Owned by postgres (mode 0700); holds the cluster (<see cref="PostgresData"/>) and the Unix socket.</summary>
    public string PostgresDir => Path.Combine(DataDir, "postgres");

    public string PostgresData => Path.Combine(PostgresDir, "data");

    public string RedisDir => Path.Combine(DataDir, "redis");

    public string PrometheusDir => Path.Combine(DataDir, "prometheus");

    public string AlertmanagerDir => Path.Combine(DataDir, "alertmanager");

    public string LogFile(string component) => Path.Combine(LogsDir, component + ".log");

    public string FaultsFile(string service) => Path.Combine(FaultsDir, service + ".json");

    /// <summary>Where the import service spools uploads: inside the data dir, so two platforms never share one.</summary>
    public string ImportsSpoolDir => Path.Combine(DataDir, "imports");
}
