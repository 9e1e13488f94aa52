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
    private const int Warehouses = 100;
    private const int Connections = 64;

    private const int CapacityConnections = 16;

    // JIT tiering, connection pools and prepared statements settle before anything is measured.
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CapacityDuration = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan PgbenchWarmup = TimeSpan.FromSeconds(5);

    /// <summary>What one measurement of the scan path gives: open-loop latency, closed-loop capacity, scrape times.</summary>
    public sealed record Measurement(OpenLoopLoad.Result OpenLoop, double CapacityPerSecond, List<double> ScrapesMs);

    /// <summary>The bench's tasks and the load that scans them through the gateway.</summary>
    private sealed record ScanLoad(OpenLoopLoad Load, List<Guid> TaskIds, string[] Warehouses, HttpClient Scraper);

    /// <summary>Warm-up, closed-loop capacity and the open-loop run with scrapes: what the telemetry comparison takes per arm.</summary>
    public static async Task<Measurement> MeasureAsync(BenchPlatform bench, BenchOptions options, RatioReport report, string arm)
    {
        var scan = await SeedAsync(bench, options);
        report.AddFailures($"scan warm-up ({arm})", (await scan.Load.RunAsync(options.Rate, (int)options.Time(Warmup).TotalSeconds)).Failures);
        var capacity = await scan.Load.CapacityAsync(CapacityConnections, options.Time(CapacityDuration));
        Console.WriteLine($"scan ({arm}): closed loop {capacity.PerSecond:F0} req/s, {capacity.Succeeded} scans, {capacity.DescribeFailures()}");
        report.AddFailures($"scan capacity ({arm})", capacity.Failures);
        var measurement = await OpenLoopAsync(scan, capacity.PerSecond, options);
        report.AddFailures($"scan open loop ({arm})", measurement.OpenLoop.Failures);
        return measurement;
    }

    /// <summary>
    /// Capacity through the gateway against pgbench's <c>record_scan</c> rate in the same rounds (alternating), the CPU
    /// each process spends per scan, then the open-loop latency run.
    /// </summary>
    public static async Task RunAsync(BenchPlatform bench, BenchOptions options, RatioReport report)
    {
        var scan = await SeedAsync(bench, options);
        report.AddFailures("scan warm-up", (await scan.Load.RunAsync(options.Rate, (int)options.Time(Warmup).TotalSeconds)).Failures);
        using var pgbench = await PgbenchScan.PrepareAsync(bench, scan.TaskIds, scan.Warehouses);
        // pgbench's own warm-up: its connections, prepared statement and the lookup table's pages.
        await pgbench.RunAsync(CapacityConnections, options.Time(PgbenchWarmup));
        var duration = options.Time(CapacityDuration);

        Dictionary<string, Func<IEnumerable<int>>> processes = new()
        {
            ["apigateway"] = () => [BenchPlatform.ServiceProcessId("ApiGateway")],
            ["taskservice"] = () => [BenchPlatform.ServiceProcessId("TaskService")],
            ["realtimeworker"] = () => [BenchPlatform.ServiceProcessId("RealtimeWorker")],
            ["postgres"] = () => ProcessCpu.Named("postgres"),
            ["redis"] = () => ProcessCpu.Named("redis-server"),
            ["load generator"] = () => [Environment.ProcessId],
        };
        var capacities = new List<double>();
        var anchors = new List<double>();
        var cpuPerScan = processes.Keys.ToDictionary(p => p, _ => new List<double>());
        // Postgres's CPU per record_scan under pgbench: what the platform's Postgres figure is compared with.
        var pgbenchPostgresPerScan = new List<double>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var arm in round % 2 == 1 ? ["gateway", "pgbench"] : new[] { "pgbench", "gateway" })
            {
                if (arm == "pgbench")
                {
                    var postgresBefore = ProcessCpu.Of(processes["postgres"](), reapedChildren: true);
                    anchors.Add(await pgbench.RunAsync(CapacityConnections, duration));
                    pgbenchPostgresPerScan.Add((ProcessCpu.Of(processes["postgres"](), reapedChildren: true) - postgresBefore).TotalMicroseconds / (anchors[^1] * duration.TotalSeconds));
                    Console.WriteLine($"scan round {round}: pgbench record_scan  {anchors[^1],7:F0} tx/s over {CapacityConnections} connections; " +
                        $"postgres CPU {pgbenchPostgresPerScan[^1]:F0} us per scan");
                    continue;
                }

                var before = processes.ToDictionary(p => p.Key, p => ProcessCpu.Of(p.Value()));
                var capacity = await scan.Load.CapacityAsync(CapacityConnections, duration);
                capacities.Add(capacity.PerSecond);
                report.AddFailures($"scan capacity round {round}", capacity.Failures);
                // Per successful scan; a run with failures fails as a whole (RatioReport), so no figure of it stands.
                foreach (var (name, pids) in processes)
                {
                    cpuPerScan[name].Add((ProcessCpu.Of(pids()) - before[name]).TotalMicroseconds / Math.Max(1, capacity.Succeeded));
                }

                Console.WriteLine($"scan round {round}: through the gateway {capacity.PerSecond,7:F0} req/s over {CapacityConnections} connections, " +
                    $"{capacity.Succeeded} scans, {capacity.DescribeFailures()}; CPU us per scan: " +
                    string.Join(", ", cpuPerScan.Select(c => $"{c.Key} {c.Value[^1]:F0}")));
            }
        }

        report.Add("scan capacity through the gateway, POST /api/scan", "pgbench calling record_scan", capacities.Zip(anchors, (c, a) => c / a), "P0", "≥ 60 %");
        report.Add("CPU per scan, all processes, us", string.Join(", ", cpuPerScan.Select(c => $"{c.Key} {Percentiles.Median(c.Value):F0}")),
            Enumerable.Range(0, capacities.Count).Select(i => cpuPerScan.Values.Sum(v => v[i])), "F0", "reported");
        report.Add("Postgres CPU per scan through the platform", $"under pgbench (median {Percentiles.Median(pgbenchPostgresPerScan):F0} us)",
            cpuPerScan["postgres"].Zip(pgbenchPostgresPerScan, (platform, pgbench) => platform / pgbench), "F2", "reported");
        var measurement = await OpenLoopAsync(scan, Percentiles.Median(capacities), options);
        report.AddFailures("scan open loop", measurement.OpenLoop.Failures);
        Print(measurement, options);
    }

    private static async Task<ScanLoad> SeedAsync(BenchPlatform bench, BenchOptions options)
    {
        var warehouses = Enumerable.Range(0, Warehouses).Select(i => $"BENCH-{i}").ToArray();
        var planner = bench.Client("apigateway", "planner", warehouses);
        var taskIds = new List<Guid>();
        for (var i = 0; i < options.Size(1000, 20); i++)
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
        return new ScanLoad(load, taskIds, warehouses, scraper);
    }

    private static async Task<Measurement> OpenLoopAsync(ScanLoad scan, double capacity, BenchOptions options)
    {
        using var stop = new CancellationTokenSource();
        var scrapes = ScrapeAsync(scan.Scraper, stop.Token);
        var result = await scan.Load.RunAsync(options.Rate, options.Seconds);
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
