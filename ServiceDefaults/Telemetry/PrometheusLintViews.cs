using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Warehouse.ServiceDefaults.Telemetry;

/// <summary>
/// Prometheus reserves the <c>_count</c> suffix for histograms and summaries, and <c>promtool check metrics</c>
/// rejects gauges that end in it. A view renames (or drops, where nothing uses them) those few gauges, and because
/// views apply to every reader, the /metrics scrape and the OTLP export keep showing Prometheus the same names.
/// </summary>
internal static class PrometheusLintViews
{
    private static readonly Dictionary<string, string> Renamed = new(StringComparer.Ordinal)
    {
        ["db.client.connection.count"] = "db.client.connections.usage",
    };

    private static readonly HashSet<string> Dropped = new(StringComparer.Ordinal)
    {
        "dotnet.assembly.count",
        "dotnet.process.cpu.count",
        "dotnet.timer.count",
    };

    public static MetricStreamConfiguration? Select(Instrument instrument) =>
        Renamed.TryGetValue(instrument.Name, out var name) ? new MetricStreamConfiguration { Name = name }
        : Dropped.Contains(instrument.Name) ? MetricStreamConfiguration.Drop
        : null;
}
