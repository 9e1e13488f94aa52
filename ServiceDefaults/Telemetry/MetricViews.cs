using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Warehouse.ServiceDefaults.Telemetry;

/// <summary>
/// Views over every instrument the services enable. Because views apply to every reader, the /metrics scrape and the
/// OTLP export show Prometheus the same names.
/// </summary>
internal static class MetricViews
{
    /// <summary>
    /// Prometheus reserves the <c>_count</c> suffix for histograms and summaries, and <c>promtool check metrics</c>
    /// rejects gauges that end in it: those few gauges are renamed, or dropped where nothing uses them.
    /// </summary>
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

    /// <summary>
    /// Instruments updated on every request (every proxied request, at the gateway) that no rule, dashboard or alert
    /// reads: the time to authenticate, the rate limiter's lease bookkeeping, the HTTP client's in-flight and queue
    /// times. Each costs a measurement with its tags per request; the request's own duration
    /// (<c>http.server.request.duration</c>, <c>http.client.request.duration</c>) and the rate limiter's verdicts stay.
    /// </summary>
    private static readonly HashSet<string> UnusedPerRequest = new(StringComparer.Ordinal)
    {
        "aspnetcore.authentication.authenticate.duration",
        "aspnetcore.rate_limiting.request_lease.duration",
        "aspnetcore.rate_limiting.active_request_leases",
        "http.client.active_requests",
        "http.client.request.time_in_queue",
    };

    /// <summary>
    /// Meters the ASP.NET Core instrumentation turns on that no rule or dashboard reads, yet are updated on every
    /// request (routing, authorization) or every buffer rental (memory pool). A dropped instrument is never enabled,
    /// so it costs nothing on the hot path.
    /// </summary>
    private static readonly HashSet<string> UnusedMeters = new(StringComparer.Ordinal)
    {
        "Microsoft.AspNetCore.MemoryPool",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Authorization",
    };

    public static MetricStreamConfiguration? Select(Instrument instrument) =>
        UnusedMeters.Contains(instrument.Meter.Name) || Dropped.Contains(instrument.Name) || UnusedPerRequest.Contains(instrument.Name) ? MetricStreamConfiguration.Drop
        : Renamed.TryGetValue(instrument.Name, out var name) ? new MetricStreamConfiguration { Name = name }
        : null;
}
