using Warehouse.Testing;

namespace Monitoring.Tests.Infrastructure;

/// <summary>Builds the Prometheus run directory the contract describes (prometheus.yml, rules/, targets/, secrets/).</summary>
public static class LocalPrometheusLayout
{
    public static void Create(TempDir dir, string configFile, string password, Func<string, string?> targetOf, string? blackboxJson = null)
    {
        File.Copy(Path.Combine(RepoPaths.PrometheusDir, configFile), dir.Combine("prometheus.yml"));
        Directory.CreateSymbolicLink(dir.Combine("rules"), RepoPaths.RulesDir);
        dir.WriteFile("secrets/monitoring_password", password);
        foreach (var job in TargetFiles)
        {
            var target = targetOf(job);
            var json = target is null ? "[]" : $"[{{\"targets\":[\"{target}\"]}}]";
            dir.WriteFile($"targets/{job}.json", job == "blackbox" && blackboxJson is not null ? blackboxJson : json);
        }
    }

    /// <summary>The file_sd files the AppHost writes in the local flavour (AppHost/Monitoring/PrometheusTargets.cs).</summary>
    public static readonly string[] TargetFiles =
    [
        "apigateway", "taskservice", "importservice", "realtimeworker", "node", "postgres", "redis",
        "prometheus", "alertmanager", "alertmanagers", "blackbox",
    ];
}
