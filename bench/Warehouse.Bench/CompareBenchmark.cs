namespace Warehouse.Bench;

/// <summary>
/// Side by side in one run, because this machine drifts by ±25 % between runs: the scan path of this checkout with
/// telemetry on and off (<c>OTEL_SDK_DISABLED=true</c>). Arms
/// alternate within each round, and each round starts with the next arm so that no arm always runs in the same
/// position; ratios are taken within a round and reported as min / median / max.
/// </summary>
public static class CompareBenchmark
{
    private sealed record Arm(string Name, Dictionary<string, string> Environment);

    public static async Task RunAsync(BenchOptions options, RatioReport report)
    {
        Arm[] arms = [new Arm("telemetry on", []), new Arm("telemetry off", new() { ["OTEL_SDK_DISABLED"] = "true" })];
        var samples = arms.ToDictionary(a => a.Name, _ => new List<ScanBenchmark.Measurement>());

        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var arm in arms.Skip((round - 1) % arms.Length).Concat(arms.Take((round - 1) % arms.Length)))
            {
                Console.WriteLine($"== round {round}/{options.Rounds}: {arm.Name}");
                await using var platform = await BenchPlatform.StartAsync(arm.Environment);
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
        report.Add("scan capacity with telemetry on (closed loop through the gateway)", "telemetry off (OTEL_SDK_DISABLED=true)",
            samples["telemetry on"].Zip(samples["telemetry off"], (on, off) => on.CapacityPerSecond / off.CapacityPerSecond), "P0", "≥ 95 %");
    }

    private static double P(List<double> values, double percentile) => Percentiles.Of([.. values.Order()], percentile);
}
