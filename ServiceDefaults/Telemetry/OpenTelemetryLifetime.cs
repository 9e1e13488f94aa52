using Microsoft.Extensions.Hosting;
using OpenTelemetry;

namespace Warehouse.ServiceDefaults.Telemetry;

/// <summary>
/// Disposes the SDK when the host stops, which flushes the last metrics and spans. Registered first,
/// so it stops last and sees the telemetry of every other component's shutdown.
/// </summary>
internal sealed class OpenTelemetryLifetime(OpenTelemetrySdk sdk) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        sdk.Dispose();
        return Task.CompletedTask;
    }
}
