using System.Text.RegularExpressions;

namespace Warehouse.Hosting.Monitoring;

/// <summary>
/// What Prometheus reads from the repository's <c>monitoring/</c> folder and how it is started, for both flavours'
/// resources and the monitoring tests alike: <c>prometheus/prometheus.yml</c> (one config for every flavour and replica,
/// verbatim), <c>rules/</c> (the repository's rules), <c>targets/</c> (file_sd), the password file and <c>web.yml</c>,
/// and the flags of <c>prometheus/prometheus.flags</c>.
/// </summary>
public sealed partial class PrometheusLayout(string monitoringDirectory)
{
    /// <summary>The one Prometheus config, under <c>monitoring/prometheus/</c>.</summary>
    public const string ConfigFile = "prometheus.yml";

    /// <summary>
    /// The <c>replica</c> external label of an HA pair comes from this variable (<c>${PROMETHEUS_REPLICA}</c> in the
    /// config, expanded by Prometheus): one config serves every replica, and alerts drop the label.
    /// </summary>
    public const string ReplicaVariable = "PROMETHEUS_REPLICA";

    /// <summary>The <c>host_mode</c> external label (<c>local</c> or <c>containers</c>), from the environment likewise.</summary>
    public const string HostModeVariable = "PROMETHEUS_HOST_MODE";

    public string MonitoringDirectory { get; } = monitoringDirectory;

    public string RulesDirectory => Path.Combine(MonitoringDirectory, "prometheus", "rules");

    public string Config(string fileName) => Path.Combine(MonitoringDirectory, "prometheus", fileName);

    public string ConfigPath => Config(ConfigFile);

    /// <summary>The flags of <c>prometheus/prometheus.flags</c> (retention, resend delay, lifecycle and admin APIs).</summary>
    public IEnumerable<string> Flags() =>
        File.ReadAllLines(Config("prometheus.flags"))
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'));

    /// <summary>
    /// Writes the run directory: the config, the rules link, the password file, <c>web.yml</c> and the file_sd
    /// <paramref name="targets"/> (file name to contents, completed by <see cref="TargetFiles"/>).
    /// </summary>
    public void Write(string runDirectory, string password, string webConfig, IReadOnlyDictionary<string, string> targets)
    {
        File.Copy(ConfigPath, Path.Combine(runDirectory, ConfigFile), overwrite: true);
        ReplaceLink(Path.Combine(runDirectory, "rules"), RulesDirectory);
        Directory.CreateDirectory(Path.Combine(runDirectory, "secrets"));
        DataDirectory.WriteSecretFile(Path.Combine(runDirectory, MonitoringAuth.PasswordFile), password);
        DataDirectory.WriteSecretFile(Path.Combine(runDirectory, MonitoringAuth.WebConfigFile), webConfig);
        var targetDirectory = Path.Combine(runDirectory, "targets");
        Directory.CreateDirectory(targetDirectory);
        foreach (var (name, contents) in TargetFiles(targets))
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
        $"--config.file={Path.Combine(runDirectory, ConfigFile)}",
        $"--storage.tsdb.path={storagePath}",
        $"--web.config.file={Path.Combine(runDirectory, MonitoringAuth.WebConfigFile)}",
        // Prometheus 3 always expands; 2.42 needs the flag for ${PROMETHEUS_REPLICA}.
        "--enable-feature=expand-external-labels",
        .. LastWins([.. Flags(), .. extraFlags]),
    ];

    /// <summary>
    /// Every file_sd file the config reads, <paramref name="targets"/> where given and an empty list for the rest (a job
    /// with no targets in this flavour, such as the services' jobs where they push OTLP): Prometheus then finds each
    /// file. A target file the config does not read is a mistake (a job renamed on one side only), so it throws.
    /// </summary>
    public IReadOnlyDictionary<string, string> TargetFiles(IReadOnlyDictionary<string, string> targets)
    {
        var read = TargetFileReference().Matches(File.ReadAllText(ConfigPath)).Select(match => match.Groups["file"].Value).ToHashSet();
        if (targets.Keys.FirstOrDefault(file => !read.Contains(file)) is { } unread)
        {
            throw new InvalidOperationException($"{ConfigPath} reads no targets/{unread}: add its job, or stop writing it.");
        }

        return read.Order(StringComparer.Ordinal).ToDictionary(file => file, file => targets.GetValueOrDefault(file) ?? "[]\n");
    }

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

    [GeneratedRegex(@"targets/(?<file>[A-Za-z0-9_.\-]+\.json)")]
    private static partial Regex TargetFileReference();
}
