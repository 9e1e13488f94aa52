namespace Warehouse.Bench;

/// <summary>
/// Side by side in one run, because this machine drifts by ±25 % between runs: the scan path of this checkout in two
/// arms, a platform each. <c>compare</c>: telemetry on and off (<c>OTEL_SDK_DISABLED=true</c>). <c>scan-copies</c>: two
/// task-service copies against one (<c>AppHost:Replicas:taskservice</c>). Arms alternate within each round, and each
/// round starts with the next arm so that no arm always runs in the same position; ratios are taken within a round and
/// reported as min / median / max.
/// </summary>
public static class CompareBenchmark
{
    private sealed record Arm(string Name, Dictionary<string, string> Environment, string[] Arguments);

    public static Task TelemetryAsync(BenchOptions options, RatioReport report) => RunAsync(options, report,
        new Arm("telemetry on", [], []), new Arm("telemetry off", new() { ["OTEL_SDK_DISABLED"] = "true" }, []),
        "scan capacity with telemetry on (closed loop through the gateway)", "telemetry off (OTEL_SDK_DISABLED=true)", "≥ 95 %");

    /// <summary>
    /// Scans through the gateway balanced over two task-service copies, against one. Reported, not targeted: on two
    /// cores the gateway, Postgres and the copies share the same CPU, so a second copy adds no core, only its own
    /// runtime and a second connection pool; what it can win is the time one copy waits on its own locks and pool.
    /// </summary>
    public static Task CopiesAsync(BenchOptions options, RatioReport report) => RunAsync(options, report,
        new Arm("two task-service copies", [], ["--AppHost:Replicas:taskservice=2"]), new Arm("one task-service copy", [], []),
        "scan capacity with two task-service copies (closed loop through the gateway)", "one copy", "reported");

    /// <summary>Both arms each round; the ratio is the first arm's capacity over the second's.</summary>
    private static async Task RunAsync(BenchOptions options, RatioReport report, Arm measured, Arm anchor, string what, string anchorName, string target)
    {
        Arm[] arms = [measured, anchor];
        var samples = arms.ToDictionary(a => a.Name, _ => new List<ScanBenchmark.Measurement>());

        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var arm in arms.Skip((round - 1) % arms.Length).Concat(arms.Take((round - 1) % arms.Length)))
            {
                Console.WriteLine($"== round {round}/{options.Rounds}: {arm.Name}");
                await using var platform = await BenchPlatform.StartAsync(arm.Environment, arguments: arm.Arguments);
                var measurement = await ScanBenchmark.MeasureAsync(platform, options, report, $"round {round}, {arm.Name}");
                ScanBenchmark.Print(measurement, options);
                samples[arm.Name].Add(measurement);
            }
        }

        Console.WriteLine();
        Console.WriteLine("| arm | closed-loop req/s (median) | open-loop p99 ms (median) | errors | scrape p95 ms (median) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var arm in arms)
        {
            var runs = samples[arm.Name];
            Console.WriteLine($"| {arm.Name} | {Percentiles.Median(runs.Select(r => r.CapacityPerSecond)):F0} | {Percentiles.Median(runs.Select(r => P(r.OpenLoop.LatenciesMs, 99))):F1} | " +
                $"{runs.Sum(r => r.OpenLoop.Failures.Values.Sum())} | {Percentiles.Median(runs.Select(r => P(r.ScrapesMs, 95))):F1} |");
        }

        Console.WriteLine();
        report.Add(what, anchorName, samples[measured.Name].Zip(samples[anchor.Name], (m, a) => m.CapacityPerSecond / a.CapacityPerSecond), "P0", target);
    }

    private static double P(List<double> values, double percentile) => Percentiles.Of([.. values.Order()], percentile);
}
