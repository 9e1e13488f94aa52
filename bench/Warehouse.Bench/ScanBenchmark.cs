using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Warehouse.Bench;

/// <summary>
/// POST /api/scan through the gateway at a fixed arrival rate (open loop: latency counts from when a request was
/// due, so a stall is not hidden), while /metrics of the busy task service is scraped and timed.
/// </summary>
public static class ScanBenchmark
{
    private const int Tasks = 1000;
    private const int Warehouses = 100;
    private const int Connections = 64;

    private const int CapacityConnections = 16;
    private static readonly TimeSpan CapacityDuration = TimeSpan.FromSeconds(15);

    /// <summary>What one measurement of the scan path gives: open-loop latency, closed-loop capacity, scrape times.</summary>
    public sealed record Measurement(OpenLoopLoad.Result OpenLoop, double CapacityPerSecond, List<double> ScrapesMs);

    public static async Task<Measurement> MeasureAsync(BenchPlatform bench, BenchOptions options)
    {
        var warehouses = Enumerable.Range(0, Warehouses).Select(i => $"BENCH-{i}").ToArray();
        var planner = bench.Client("apigateway", "planner", warehouses);
        var taskIds = new List<Guid>();
        for (var i = 0; i < Tasks; i++)
        {
            var task = await (await planner.PostAsJsonAsync("/api/tasks", new { warehouseId = warehouses[i % Warehouses], type = "pick", sku = "SKU-1", quantity = 100_000, fromLocation = "A-01", assignee = "bench" }))
                .Content.ReadFromJsonAsync<JsonElement>();
            taskIds.Add(task.GetProperty("id").GetGuid());
        }

        var scanner = bench.Client("apigateway", "operator", warehouses, connections: Connections);
        var scraper = bench.Client("taskservice", "operator", warehouses, connections: 1);
        var load = new OpenLoopLoad(scanner, "/api/scan", i =>
            $$"""{"scanId":"{{Guid.NewGuid()}}","taskId":"{{taskIds[(int)(i % taskIds.Count)]}}","sku":"SKU-1","location":"A-01","quantity":1}""",
            Connections);

        // Warm-up: JIT tiering, connection pools and prepared statements settle before anything is measured.
        await load.RunAsync(options.Rate, seconds: 30);
        var capacity = await load.CapacityAsync(CapacityConnections, CapacityDuration);
        using var stop = new CancellationTokenSource();
        var scrapes = ScrapeAsync(scraper, stop.Token);
        var result = await load.RunAsync(options.Rate, options.Seconds);
        await stop.CancelAsync();
        return new Measurement(result, capacity, await scrapes);
    }

    public static void Print(Measurement measurement, BenchOptions options)
    {
        var result = measurement.OpenLoop;

        // Before the summary sorts the latencies: a stall shows as one bad window, saturation as a climbing series.
        var windows = string.Join(" ", result.LatenciesMs.Chunk(options.Rate * 5).Select(w => $"{Percentiles.Of([.. w.Order()], 99):F0}"));
        var errors = result.Failures.Values.Sum();
        Console.WriteLine($"scan: closed loop over {CapacityConnections} connections through the gateway: {measurement.CapacityPerSecond:F0} req/s");
        Console.WriteLine($"scan: {options.Rate} req/s for {options.Seconds} s through the gateway, open loop over {Connections} connections (achieved {result.AchievedRate:F0} req/s)");
        Console.WriteLine($"  latency {Percentiles.Summary(result.LatenciesMs)}; errors {errors} {string.Join(", ", result.Failures.Select(f => $"{f.Key}: {f.Value}"))} (target p99 < 20 ms, 0 errors)");
        Console.WriteLine($"  p99 per 5 s window, in order: {windows} ms");
        Console.WriteLine($"  load generator CPU: {result.ClientCpu.TotalMilliseconds * 1000 / result.LatenciesMs.Count:F0} us per request");
        Console.WriteLine($"  /metrics scrape of the busy task service: {Percentiles.Summary(measurement.ScrapesMs)} (target < 10 ms)");
    }

    private static async Task<List<double>> ScrapeAsync(HttpClient client, CancellationToken stop)
    {
        var durations = new List<double>();
        while (!stop.IsCancellationRequested)
        {
            var clock = Stopwatch.StartNew();
            (await client.GetAsync("/metrics", CancellationToken.None)).EnsureSuccessStatusCode();
            durations.Add(clock.Elapsed.TotalMilliseconds);
            await Task.Delay(250, CancellationToken.None);
        }

        return durations;
    }
}
