using System.Globalization;

namespace Warehouse.Contracts.Faults;

/// <summary>
/// How a service states its fault switches in <c>/health</c> (check <c>faults</c>): an operator sees a switch left
/// on, and the AppHost's fault commands wait for the exact text before it reports a switch changed, since services reload the file
/// asynchronously.
/// </summary>
public static class FaultState
{
    public const string CheckName = "faults";

    public static string Describe(double errorRate, int latencyMs, string pathPrefix) =>
        errorRate == 0 && latencyMs == 0
            ? "off"
            : string.Create(CultureInfo.InvariantCulture, $"on: error rate {errorRate}, latency {latencyMs} ms, under {pathPrefix}");
}
