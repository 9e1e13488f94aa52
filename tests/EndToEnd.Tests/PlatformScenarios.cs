using Xunit.Abstractions;

namespace Warehouse.EndToEnd.Tests;

/// <summary>
/// The platform as its users meet it, through the AppHost: one shared platform (starting it costs ~30 s); each
/// scenario makes the traffic and faults it needs and leaves the platform as it found it, so any order works.
/// Measured times go to the test output.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class PlatformScenarios(PlatformFixture platform, ITestOutputHelper output)
{
    private MonitoringConfig Config => new(platform.RepoRoot);

    private TimeSpan Pipeline(string job) => Config.Pipeline(job);

    /// <summary>Allowance for process scheduling on a busy 2-core machine; the rest of each bound is derived.</summary>
    internal static readonly TimeSpan Slack = TimeSpan.FromSeconds(30);

    private async Task WaitForFiringAsync(string alertname, string service, TimeSpan bound, string? severity = null)
    {
        await Warehouse.Testing.Eventually.TrueAsync(async () =>
            (await platform.Monitoring.PrometheusAlertsAsync(alertname)).Any(a =>
                a.GetProperty("labels").TryGetProperty("service", out var s) && s.GetString() == service
                && (severity is null || a.GetProperty("labels").GetProperty("severity").GetString() == severity)),
            bound, $"{alertname} firing for {service}");
    }

    private void Report(string what, TimeSpan elapsed, TimeSpan bound) =>
        output.WriteLine($"{what}: {elapsed.TotalSeconds:F1} s (bound {bound.TotalSeconds:F0} s)");
}
