namespace Warehouse.Hosting.Monitoring;

/// <summary>
/// What Prometheus reads from the repository's <c>monitoring/</c> folder and how it is started, for the local flavour's
/// resource and the monitoring tests alike: a run directory holding <c>prometheus.yml</c> (the repository's config,
/// verbatim), <c>rules/</c> (a link to the repository's rules), <c>targets/</c> (file_sd), the password file and
/// <c>web.yml</c>, and the flags of <c>prometheus/prometheus.flags</c>.
/// </summary>
public sealed class PrometheusLayout(string monitoringDirectory)
{
    /// <summary>
    /// The <c>replica</c> external label of an HA pair comes from this variable (<c>${PROMETHEUS_REPLICA}</c> in the
    /// config, expanded by Prometheus): one config serves every replica, and alerts drop the label.
    /// </summary>
    public const string ReplicaVariable = "PROMETHEUS_REPLICA";

    public string MonitoringDirectory { get; } = monitoringDirectory;

    public string RulesDirectory => Path.Combine(MonitoringDirectory, "prometheus", "rules");

    public string Config(string fileName) => Path.Combine(MonitoringDirectory, "prometheus", fileName);

    /// <summary>The flags of <c>prometheus/prometheus.flags</c> (retention, resend delay, lifecycle and admin APIs).</summary>
    public IEnumerable<string> Flags() =>
        File.ReadAllLines(Config("prometheus.flags"))
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'));

    /// <summary>
    /// Writes the run directory: <paramref name="configFile"/> as <c>prometheus.yml</c>, the rules link, the password
    /// file, <c>web.yml</c> and the file_sd <paramref name="targets"/> (file name to contents).
    /// </summary>
    public void Write(string runDirectory, string configFile, string password, string webConfig, IReadOnlyDictionary<string, string> targets)
    {
        File.Copy(Config(configFile), Path.Combine(runDirectory, "prometheus.yml"), overwrite: true);
        ReplaceLink(Path.Combine(runDirectory, "rules"), RulesDirectory);
        Directory.CreateDirectory(Path.Combine(runDirectory, "secrets"));
        DataDirectory.WriteSecretFile(Path.Combine(runDirectory, MonitoringAuth.PasswordFile), password);
        DataDirectory.WriteSecretFile(Path.Combine(runDirectory, MonitoringAuth.WebConfigFile), webConfig);
        var targetDirectory = Path.Combine(runDirectory, "targets");
        Directory.CreateDirectory(targetDirectory);
        foreach (var (name, contents) in targets)
        {
            // Write-then-rename: file_sd must never read a half-written file.
            var path = Path.Combine(targetDirectory, name);
            File.WriteAllText(path + ".tmp", contents);
            File.Move(path + ".tmp", path, overwrite: true);
        }
    }

    /// <summary>
    /// The command line of Prometheus 2.42 on a run directory: the repository's flags, then <paramref name="extraFlags"/>
    /// (a repeated flag's last value wins: Prometheus refuses a flag given twice). The listen address is the caller's.
    /// </summary>
    public IEnumerable<string> Arguments(string runDirectory, string storagePath, IEnumerable<string> extraFlags) =>
    [
        $"--config.file={Path.Combine(runDirectory, "prometheus.yml")}",
        $"--storage.tsdb.path={storagePath}",
        $"--web.config.file={Path.Combine(runDirectory, MonitoringAuth.WebConfigFile)}",
        // Prometheus 3 always expands; 2.42 needs the flag for ${PROMETHEUS_REPLICA}.
        "--enable-feature=expand-external-labels",
        .. LastWins([.. Flags(), .. extraFlags]),
    ];

    /// <summary>Keeps the last occurrence of each <c>--name</c>, in first-seen order.</summary>
    public static IEnumerable<string> LastWins(IEnumerable<string> flags)
    {
        var byName = new Dictionary<string, string>();
        var order = new List<string>();
        foreach (var flag in flags)
        {
            var name = flag.Split('=', 2)[0];
            if (byName.TryAdd(name, flag))
            {
                order.Add(name);
            }

            byName[name] = flag;
        }

        return order.Select(name => byName[name]);
    }

    internal static void ReplaceLink(string link, string target)
    {
        if (File.Exists(link) || Directory.Exists(link))
        {
            File.Delete(link);
        }

        File.CreateSymbolicLink(link, target);
    }
}
