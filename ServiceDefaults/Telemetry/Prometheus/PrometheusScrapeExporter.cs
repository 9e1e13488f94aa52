using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Warehouse.ServiceDefaults.Telemetry.Prometheus;

/// <summary>
/// A pull exporter for the /metrics endpoint. It stands in for OpenTelemetry.Exporter.Prometheus.AspNetCore,
/// which the build machines' package feed does not carry; swap it back in behind <see cref="PrometheusEndpoint"/>.
/// </summary>
public sealed class PrometheusScrapeExporter : BaseExporter<Metric>
{
    private readonly Lock _gate = new();
    private string _lastPayload = string.Empty;

    public PrometheusScrapeExporter() => Reader = new BaseExportingMetricReader(this);

    /// <summary>The reader to register with the MeterProvider; it only collects when a scrape asks.</summary>
    public MetricReader Reader { get; }

    /// <summary>Collects every instrument now (cumulative temporality) and returns the rendered text.</summary>
    public string Scrape()
    {
        lock (_gate)
        {
            return Reader.Collect() ? _lastPayload : string.Empty;
        }
    }

    public override ExportResult Export(in Batch<Metric> batch)
    {
        _lastPayload = PrometheusTextSerializer.Serialize(batch, ParentProvider?.GetResource());
        return ExportResult.Success;
    }
}
