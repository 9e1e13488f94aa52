namespace Warehouse.Faults;

/// <summary>
/// Fault switches in the spirit of the OpenTelemetry demo's feature flags: they let the end-to-end tests make
/// error-rate and latency alerts fire for real. Off unless the host points <c>Faults:File</c> at a JSON file,
/// which is only writable on the service's machine: nothing reaches them through the gateway.
/// </summary>
public sealed class FaultOptions
{
    public const string SectionName = "Faults";

    /// <summary>Share of matching requests answered with 500, from 0 to 1.</summary>
    public double ErrorRate { get; set; }

    /// <summary>Delay added to matching requests.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Only requests whose path starts with this are affected.</summary>
    public string PathPrefix { get; set; } = "/api";
}
