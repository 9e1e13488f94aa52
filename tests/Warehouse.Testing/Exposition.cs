using System.Globalization;

namespace Warehouse.Testing;

/// <summary>
/// Reads samples out of a Prometheus text exposition. Tests that count a service's own events read them from a host
/// of their own (<see cref="ServiceFixture{TProgram}.StartService"/>): OpenTelemetry stops exporting every meter of a
/// name once any meter of that name is disposed (open-telemetry/opentelemetry-dotnet#6412), which other tests' hosts of
/// the same service do when they stop. One host per process, as in production, is not affected.
/// </summary>
public static class Exposition
{
    /// <summary>The value of <paramref name="series"/> (name and labels exactly as exposed), or null when it is not exposed.</summary>
    public static double? Value(string exposition, string series)
    {
        var line = exposition.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[(series.Length + 1)..].Split(' ')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>GET /metrics of a service that has just started and served nothing else.</summary>
    public static async Task<string> OfFreshServiceAsync<TProgram>(ServiceFixture<TProgram> fixture)
        where TProgram : class
    {
        await using var fresh = fixture.StartService();
        return await fresh.CreateClient().GetStringAsync("/metrics");
    }
}
