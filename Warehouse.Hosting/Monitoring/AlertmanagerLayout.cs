namespace Warehouse.Hosting.Monitoring;

/// <summary>
/// How Alertmanager runs on this machine, for the local flavour's resource and the monitoring tests alike: a run
/// directory holding <c>alertmanager.yml</c>, <c>templates/</c> (a link to the repository's), <c>secrets/</c> (the files
/// alertmanager.yml reads, relative to the working directory) and <c>web.yml</c>; clustering on loopback.
/// </summary>
public static class AlertmanagerLayout
{
    public static void Write(string runDirectory, string config, string templatesDirectory, IReadOnlyDictionary<string, string> secretFiles, string webConfig)
    {
        File.WriteAllText(Path.Combine(runDirectory, "alertmanager.yml"), config);
        PrometheusLayout.ReplaceLink(Path.Combine(runDirectory, "templates"), templatesDirectory);
        Directory.CreateDirectory(Path.Combine(runDirectory, "secrets"));
        foreach (var (name, value) in secretFiles)
        {
            DataDirectory.WriteSecretFile(Path.Combine(runDirectory, "secrets", name), value);
        }

        DataDirectory.WriteSecretFile(Path.Combine(runDirectory, MonitoringAuth.WebConfigFile), webConfig);
    }

    /// <summary>The command line on a run directory; the listen address and the cluster flags are the caller's.</summary>
    public static IEnumerable<string> Arguments(string runDirectory) =>
    [
        $"--config.file={Path.Combine(runDirectory, "alertmanager.yml")}",
        $"--storage.path={Path.Combine(runDirectory, "data")}",
        $"--web.config.file={Path.Combine(runDirectory, MonitoringAuth.WebConfigFile)}",
    ];

    /// <summary>
    /// Clustering off (<paramref name="listen"/> null): the default port 9094 would collide with a second instance.
    /// On: an explicit address per instance and every other instance as a peer (0.25 on loopback needs both).
    /// </summary>
    public static IEnumerable<string> Cluster(string? listen, IEnumerable<string> peers) =>
        listen is null ? ["--cluster.listen-address="] : [$"--cluster.listen-address={listen}", .. peers.Select(peer => $"--cluster.peer={peer}")];
}
