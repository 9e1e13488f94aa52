using System.Collections.Concurrent;
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

    public static async Task RunAsync(BenchPlatform bench, BenchOptions options)
    {
        var planner = bench.Client("apigateway", "planner");
        var taskIds = new List<Guid>();
        for (var i = 0; i < Tasks; i++)
        {
            var task = await (await planner.PostAsJsonAsync("/api/tasks", new { warehouseId = $"BENCH-{i % Warehouses}", type = "pick", sku = "SKU-1", quantity = 100_000, fromLocation = "A-01", assignee = "bench" }))
                .Content.ReadFromJsonAsync<JsonElement>();
            taskIds.Add(task.GetProperty("id").GetGuid());
        }

        var scanner = bench.Client("apigateway", "operator", connections: 512);
        var scraper = bench.Client("taskservice", "operator", connections: 1);
        await RunAtRateAsync(scanner, taskIds, options.Rate, seconds: 5);
        using var stop = new CancellationTokenSource();
        var scrapes = ScrapeAsync(scraper, stop.Token);
        var (latencies, errors, achieved) = await RunAtRateAsync(scanner, taskIds, options.Rate, options.Seconds);
        await stop.CancelAsync();

        Console.WriteLine($"scan: {options.Rate} req/s for {options.Seconds} s through the gateway (achieved {achieved:F0} req/s)");
        Console.WriteLine($"  latency {Percentiles.Summary(latencies)}; errors {errors} (target p99 < 20 ms, 0 errors)");
        Console.WriteLine($"  /metrics scrape of the busy task service: {Percentiles.Summary(await scrapes)} (target < 10 ms)");
    }

    private static async Task<(List<double> Latencies, int Errors, double Achieved)> RunAtRateAsync(
        HttpClient client, List<Guid> taskIds, int rate, int seconds)
    {
        var total = rate * seconds;
        var latencies = new ConcurrentBag<double>();
        var errors = 0;
        var inFlight = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            while (clock.Elapsed < due)
            {
                await Task.Delay(due - clock.Elapsed > TimeSpan.FromMilliseconds(2) ? 1 : 0);
            }

            var taskId = taskIds[i % taskIds.Count];
            inFlight.Add(Task.Run(async () =>
            {
                try
                {
                    using var response = await client.PostAsJsonAsync("/api/scan", new { scanId = Guid.NewGuid(), taskId, sku = "SKU-1", location = "A-01", quantity = 1 });
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }

                latencies.Add((clock.Elapsed - due).TotalMilliseconds);
            }));
        }

        await Task.WhenAll(inFlight);
        return ([.. latencies], errors, total / clock.Elapsed.TotalSeconds);
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
