using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Warehouse.Contracts.Faults;

namespace Warehouse.Faults;

/// <summary>Always healthy: it reports the fault switches as the service has loaded them (see <see cref="FaultState"/>).</summary>
internal sealed class FaultsHealthCheck(IOptionsMonitor<FaultOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var faults = options.CurrentValue;
        return Task.FromResult(HealthCheckResult.Healthy(FaultState.Describe(faults.ErrorRate, faults.LatencyMs, faults.PathPrefix)));
    }
}
