using System.Diagnostics.Metrics;
using Warehouse.ServiceDefaults.Http;

namespace Warehouse.ApiGateway.RateLimiting;

/// <summary>
/// Requests limited by this gateway's own bucket because Redis could not answer:
/// <c>warehouse_gateway_rate_limit_fallbacks_total</c>, from zero at start, and a warning once per burst.
/// </summary>
public sealed class RateLimitFallbacks
{
    public const string MeterName = "Warehouse.Gateway";

    private const string Consequence = "each gateway limits callers on its own until it is back";

    private readonly Counter<long> _fallbacks;
    private readonly OutageLog _log;

    public RateLimitFallbacks(IMeterFactory meterFactory, OutageLog log)
    {
        _log = log;
        _fallbacks = meterFactory.Create(MeterName).CreateCounter<long>(
            "warehouse.gateway.rate_limit.fallbacks", "{request}", "Requests rate-limited by the gateway's own bucket because Redis could not answer");
        _fallbacks.Add(0);
    }

    public void Record(Exception reason)
    {
        _fallbacks.Add(1);
        _log.Failed("redis", reason, Consequence);
    }
}
