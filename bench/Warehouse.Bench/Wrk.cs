using System.Globalization;
using Warehouse.Testing;

namespace Warehouse.Bench;

/// <summary>
/// wrk (Debian's 4.1), the load generator people compare proxies with, as a second measure beside the bench's own
/// closed loop: GETs over a fixed number of connections for a fixed time, each request with the next of the bench's
/// tokens (bench/wrk/rotate-tokens.lua). Two threads, one per core, as wrk is normally run here.
/// </summary>
public static class Wrk
{
    private static readonly string Script = Path.Combine(Repository.Root, "bench", "wrk", "rotate-tokens.lua");

    /// <param name="Errors">Socket errors, timeouts and non-2xx/3xx answers together.</param>
    public sealed record Result(double PerSecond, long Requests, long Errors, double P50Ms, double P99Ms);

    public static async Task<Result> RunAsync(string baseUrl, string path, IReadOnlyList<string> tokens, int connections, TimeSpan duration)
    {
        using var dir = new TempDir("wrk");
        var tokenFile = dir.Combine("tokens");
        await File.WriteAllLinesAsync(tokenFile, tokens);
        var run = await Tool.RunAsync("wrk",
            ["-t2", $"-c{connections}", $"-d{(int)Math.Ceiling(duration.TotalSeconds)}s", "-s", Script, baseUrl, "--", tokenFile, path],
            timeout: duration + TimeSpan.FromMinutes(1));
        var line = run.StdOut.Split('\n').SingleOrDefault(l => l.StartsWith("WRK ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no summary (exit {run.ExitCode}):\n{run.Output}");
        var fields = line[4..].Split(' ').Select(f => f.Split('=')).ToDictionary(f => f[0], f => long.Parse(f[1], CultureInfo.InvariantCulture));
        var errors = fields["connect"] + fields["read"] + fields["write"] + fields["status"] + fields["timeout"];
        return new Result(fields["requests"] / (fields["duration_us"] / 1e6), fields["requests"], errors, fields["p50_us"] / 1e3, fields["p99_us"] / 1e3);
    }
}
