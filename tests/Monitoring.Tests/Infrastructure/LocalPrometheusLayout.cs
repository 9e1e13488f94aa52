using Warehouse.Hosting.Monitoring;
using Warehouse.Testing;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// The repository's Prometheus files (Warehouse.Hosting's <see cref="PrometheusLayout"/>), and a run directory laid out
/// from them as the AppHost's resource lays it out (prometheus.yml, rules/, targets/, secrets/, web.yml) for promtool,
/// which checks a config without running Prometheus.
/// </summary>
public static class LocalPrometheusLayout
{
    public static PrometheusLayout Layout { get; } = new(RepoPaths.Monitoring);

    /// <summary>
    /// Writes the run directory; <paramref name="targetOf"/> gives a job's one target (host:port) or none. A job without
    /// targets gets [], as in the AppHost.
    /// </summary>
    public static void Create(TempDir dir, BasicAuth auth, Func<string, string?> targetOf)
    {
        var targets = new PrometheusTargets();
        foreach (var job in Layout.TargetFiles(new Dictionary<string, string>()).Keys.Select(Path.GetFileNameWithoutExtension))
        {
            if (targetOf(job!) is { } target)
            {
                targets.Scrape(job!, target);
            }
        }

        Layout.Write(dir.Path, auth.Password, auth.WebConfigYaml,
            targets.Files(endpoint => throw new InvalidOperationException($"{endpoint.EndpointName}: only addresses are given here.")));
    }
}
