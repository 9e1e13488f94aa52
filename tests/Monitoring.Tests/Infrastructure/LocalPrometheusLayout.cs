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

    /// <summary>
    /// Writes the run directory; <paramref name="targetOf"/> gives a job's one target (host:port) or none, and
    /// <paramref name="blackboxJson"/> is targets/blackbox.json. A job without targets gets [], as in the AppHost.
    /// </summary>
    public static void Create(TempDir dir, BasicAuth auth, Func<string, string?> targetOf, string? blackboxJson = null)
    {
        var targets = new Dictionary<string, string>();
        foreach (var file in Layout.TargetFiles(targets).Keys)
        {
            var contents = file == "blackbox.json"
                ? blackboxJson
                : targetOf(Path.GetFileNameWithoutExtension(file)) is { } target ? $"[{{\"targets\":[\"{target}\"]}}]" : null;
            if (contents is not null)
            {
                targets[file] = contents;
            }
        }

        Layout.Write(dir.Path, auth.Password, auth.WebConfigYaml, targets);
    }
}
