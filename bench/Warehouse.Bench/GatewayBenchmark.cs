using System.Net.Http.Json;

namespace Warehouse.Bench;

/// <summary>
/// <c>GET /api/tasks</c> to the same task service three ways, side by side in one run: direct, through nginx (the
/// anchor) and through the gateway. Arms alternate within each round and each round starts with the next arm; each
/// arm runs closed loop over 16 connections. Per arm: req/s, latency, and the proxy's CPU per request (the gateway
/// process; nginx's master and workers). Ratios within a round, as min / median / max.
/// </summary>
public static class GatewayBenchmark
{
    private const int Connections = 16;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);
    private const string Warehouse = "BENCH-GW";
    private const string Path = $"/api/tasks?warehouseId={Warehouse}&pageSize=20";

    private sealed record Arm(string Name, HttpClient Client, Func<IEnumerable<int>> ProxyProcesses);

    private sealed record Sample(double PerSecond, double P50, double P99, double ProxyCpuUsPerRequest, int Failures);

    public static async Task RunAsync(BenchPlatform platform, BenchOptions options)
    {
        var planner = platform.Client("apigateway", "planner", [Warehouse]);
        for (var i = 0; i < 20; i++)
        {
            (await planner.PostAsJsonAsync("/api/tasks", new { warehouseId = Warehouse, type = "pick", sku = $"SKU-{i}", quantity = 10, fromLocation = "A-01" })).EnsureSuccessStatusCode();
        }

        await using var nginx = await NginxProxy.StartAsync(platform.Url("taskservice"));
        var gatewayPid = BenchPlatform.ServiceProcessId("ApiGateway");
        Arm[] arms =
        [
            new("direct", platform.Client("taskservice", "operator", [Warehouse], Connections), () => []),
            new("nginx", WithBase(platform.Client("taskservice", "operator", [Warehouse], Connections), nginx.Url), () => nginx.ProcessIds),
            new("gateway", platform.Client("apigateway", "operator", [Warehouse], Connections), () => [gatewayPid]),
        ];

        // Warm-up: JIT tiering, connection pools and nginx's upstream keep-alive settle before anything is measured.
        foreach (var arm in arms)
        {
            await ClosedLoopGet.RunAsync(arm.Client, Path, Connections, Duration);
        }

        var samples = arms.ToDictionary(a => a.Name, _ => new List<Sample>());
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var arm in arms.Skip((round - 1) % arms.Length).Concat(arms.Take((round - 1) % arms.Length)))
            {
                var cpuBefore = ProcessCpu.Of(arm.ProxyProcesses());
                var result = await ClosedLoopGet.RunAsync(arm.Client, Path, Connections, Duration);
                var cpu = ProcessCpu.Of(arm.ProxyProcesses()) - cpuBefore;
                var sorted = result.LatenciesMs.Order().ToList();
                var sample = new Sample(result.PerSecond, Percentiles.Of(sorted, 50), Percentiles.Of(sorted, 99),
                    cpu.TotalMicroseconds / Math.Max(1, sorted.Count), result.Failures);
                samples[arm.Name].Add(sample);
                Console.WriteLine($"round {round} {arm.Name,-8} {sample.PerSecond,8:F0} req/s  p50 {sample.P50:F2} ms  p99 {sample.P99:F2} ms  " +
                    $"proxy CPU {sample.ProxyCpuUsPerRequest:F0} us/req  failures {sample.Failures}");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"| arm | req/s (median) | p50 ms | p99 ms | proxy CPU us/req | failures |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var arm in arms)
        {
            var s = samples[arm.Name];
            Console.WriteLine($"| {arm.Name} | {Percentiles.Median(s.Select(x => x.PerSecond)):F0} | {Percentiles.Median(s.Select(x => x.P50)):F2} | {Percentiles.Median(s.Select(x => x.P99)):F2} | " +
                $"{(arm.Name == "direct" ? "—" : Percentiles.Median(s.Select(x => x.ProxyCpuUsPerRequest)).ToString("F0"))} | {s.Sum(x => x.Failures)} |");
        }

        Console.WriteLine();
        Ratio("gateway / nginx req/s (target ≥ 90 %)", samples["gateway"], samples["nginx"], s => s.PerSecond, "P1");
        Ratio("nginx / direct req/s", samples["nginx"], samples["direct"], s => s.PerSecond, "P1");
        Ratio("gateway / nginx CPU per request (target ≤ 2×)", samples["gateway"], samples["nginx"], s => s.ProxyCpuUsPerRequest, "F2");
        Difference("gateway p99 added over direct, ms (target ≤ 5)", samples["gateway"], samples["direct"], s => s.P99);
        Difference("nginx p99 added over direct, ms", samples["nginx"], samples["direct"], s => s.P99);
    }

    private static HttpClient WithBase(HttpClient client, string baseUrl)
    {
        client.BaseAddress = new Uri(baseUrl);
        return client;
    }

    private static void Ratio(string what, List<Sample> a, List<Sample> b, Func<Sample, double> value, string format)
    {
        var ratios = a.Zip(b, (x, y) => value(x) / value(y)).ToList();
        Console.WriteLine($"{what}: min {ratios.Min().ToString(format)}, median {Percentiles.Median(ratios).ToString(format)}, max {ratios.Max().ToString(format)}");
    }

    private static void Difference(string what, List<Sample> a, List<Sample> b, Func<Sample, double> value)
    {
        var differences = a.Zip(b, (x, y) => value(x) - value(y)).ToList();
        Console.WriteLine($"{what}: min {differences.Min():F2}, median {Percentiles.Median(differences):F2}, max {differences.Max():F2}");
    }
}
