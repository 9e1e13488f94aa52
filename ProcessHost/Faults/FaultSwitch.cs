using System.Text.Json;

namespace Warehouse.ProcessHost.Faults;

/// <summary>
/// Writes a service's fault file (<c>Faults__File</c> = <c>&lt;data&gt;/faults/&lt;service&gt;.json</c>), which the
/// service reloads on change: <c>{"Faults":{"ErrorRate":0.5,"LatencyMs":400,"PathPrefix":"/api/scan"}}</c>.
/// For end-to-end alert tests; never reachable through the gateway.
/// </summary>
public static class FaultSwitch
{
    public static async Task WriteAsync(string path, double errorRate, int latencyMs, string pathPrefix, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(errorRate, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(errorRate, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(latencyMs);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var json = JsonSerializer.Serialize(new { Faults = new { ErrorRate = errorRate, LatencyMs = latencyMs, PathPrefix = pathPrefix } });
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, json, cancellationToken);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Turns faults off (an explicit zero file: a deleted file would leave the last values loaded).</summary>
    public static Task ClearAsync(string path, CancellationToken cancellationToken = default) =>
        WriteAsync(path, 0, 0, "/api", cancellationToken);
}
