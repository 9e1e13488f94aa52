using Warehouse.Hosting.Monitoring;
using Warehouse.Testing;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// The Prometheus run directory as the AppHost's resources lay it out (Warehouse.Hosting's <see cref="PrometheusLayout"/>:
/// prometheus.yml, rules/, targets/, secrets/, web.yml), with a test's targets.
/// </summary>
public static class LocalPrometheusLayout
{
    public static PrometheusLayout Layout { get; } = new(RepoPaths.Monitoring);

    public static void Create(TempDir dir, string configFile, BasicAuth auth, Func<string, string?> targetOf, string? blackboxJson = null) =>
        Layout.Write(dir.Path, configFile, auth.Password, auth.WebConfigYaml, TargetFiles.ToDictionary(
            job => job + ".json",
            job => job == "blackbox" && blackboxJson is not null ? blackboxJson
                : targetOf(job) is { } target ? $"[{{\"targets\":[\"{target}\"]}}]" : "[]"));

    /// <summary>The file_sd files the AppHost writes in the local flavour (Warehouse.Hosting/Monitoring/PrometheusTargets.cs).</summary>
    public static readonly string[] TargetFiles =
    [
        "apigateway", "taskservice", "importservice", "realtimeworker", "node", "postgres", "redis",
        "prometheus", "alertmanager", "alertmanagers", "blackbox",
    ];
}
