using System.Globalization;
using System.Text;

namespace Warehouse.Hosting.Supervision;

/// <summary>
/// The restart counts as a Prometheus text file for node_exporter's textfile collector, the standard way to publish a
/// host-side process's state to Prometheus (the AppHost serves no /metrics of its own). Every supervised resource is
/// listed from the start, at 0, so an alert's increase() sees the first restart. Written to a temp file and renamed,
/// so the collector never reads half a file.
/// </summary>
public sealed class RestartCountsFile(string directory)
{
    public const string FileName = "warehouse_restarts.prom";
    private readonly Dictionary<string, long> _counts = [];
    private readonly Lock _gate = new();

    public void Track(string resource)
    {
        lock (_gate)
        {
            _counts.TryAdd(resource, 0);
            Write();
        }
    }

    /// <summary>Counts one restart of <paramref name="resource"/>; returns its count so far.</summary>
    public long Increment(string resource)
    {
        lock (_gate)
        {
            var count = _counts[resource] = _counts.GetValueOrDefault(resource) + 1;
            Write();
            return count;
        }
    }

    private void Write()
    {
        var text = new StringBuilder()
            .AppendLine("# HELP warehouse_resource_restarts_total Times the AppHost started a resource again after it exited on its own.")
            .AppendLine("# TYPE warehouse_resource_restarts_total counter");
        foreach (var (resource, count) in _counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"warehouse_resource_restarts_total{{resource=\"{resource}\"}} {count}");
        }

        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, FileName + ".tmp");
        File.WriteAllText(temp, text.ToString());
        File.Move(temp, Path.Combine(directory, FileName), overwrite: true);
    }
}
