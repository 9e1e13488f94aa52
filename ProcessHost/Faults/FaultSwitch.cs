using System.Text.Json;
using Warehouse.Contracts.Faults;
using Warehouse.ProcessHost.Hosting;

namespace Warehouse.ProcessHost.Faults;

/// <summary>
/// Writes a service's fault file (<c>Faults__File</c> = <c>&lt;data&gt;/faults/&lt;service&gt;.json</c>), which the
/// service reloads on change: <c>{"Faults":{"ErrorRate":0.5,"LatencyMs":400,"PathPrefix":"/api/scan"}}</c>.
/// For end-to-end alert tests; never reachable through the gateway.
/// </summary>
public static class FaultSwitch
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };

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

    /// <summary>
    /// Services reload the file asynchronously; this polls the service's <c>/health</c> until its <c>faults</c> check
    /// states <paramref name="expected"/>, so traffic sent afterwards meets the new switches.
    /// </summary>
    public static async Task WaitUntilLoadedAsync(string serviceUrl, string expected, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var seen = "nothing";
        try
        {
            while (true)
            {
                seen = await LoadedStateAsync(serviceUrl, timeout.Token) ?? seen;
                if (seen == expected)
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PlatformException($"{serviceUrl} did not load its fault switches within 30 s: expected '{expected}', it reports '{seen}'.");
        }
    }

    private static async Task<string?> LoadedStateAsync(string serviceUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var health = JsonDocument.Parse(await Http.GetStringAsync(serviceUrl + "/health", cancellationToken));
            return health.RootElement.GetProperty("checks").TryGetProperty(FaultState.CheckName, out var check)
                ? check.GetProperty("description").GetString()
                : null;
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // /health answers 503 while a dependency is down, or the service is slow to answer: ask again.
            return null;
        }
    }
}
