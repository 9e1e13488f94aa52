using System.Net.Http.Json;
using Warehouse.Contracts.Hosting;

namespace Warehouse.Bench;

/// <summary>
/// <c>GET /api/tasks</c> to the same task service three ways, side by side in one run: direct, through nginx (the
/// anchor) and through the gateway. Arms alternate within each round and each round starts with the next arm. Each
/// arm runs closed loop over 16 connections for its capacity (req/s), then open loop at one fixed rate below every
/// arm's capacity, the same load for all three: its latency and the proxy's CPU per request (the gateway process;
/// nginx's master and workers) come from that run, where no arm queues behind a saturated machine.
/// Ratios within a round, as min / median / max. The latency a proxy adds is paired: the open-loop runs of a round
/// send the same request sequence (request i due at i / rate), so request i through the proxy minus request i direct
/// is one difference; the percentiles are of those differences, never a difference of percentiles of two runs.
/// </summary>
public static class GatewayBenchmark
{
    private const int Connections = 16;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(30);

    // Under load on 2 cores the gateway's JIT keeps recompiling hot methods (tiered PGO) for minutes: perf showed a
    // quarter of its CPU in the JIT in the first measured round after a 10 s warm-up, and its CPU per request still
    // fell round by round after 30 s. It is warmed until its JIT is quiet (under 1 % of a core, read from its own
    // runtime metrics); a trickle of rarely called methods reaching their next tier goes on for minutes.
    private const double QuietJitShare = 0.01;
    private const int MaxWarmupChunks = 12;
    private const string Warehouse = "BENCH-GW";
    private const string Path = $"/api/tasks?warehouseId={Warehouse}&pageSize=20";

    /// <summary>The open-loop rate: about half of the gateway's closed-loop capacity on 2 cores.</summary>
    private const int Rate = 500;

    private sealed record Arm(string Name, HttpClient Client, Func<IEnumerable<int>> ProxyProcesses);

    /// <param name="LatenciesMs">The open-loop run's latencies in request order, for the paired differences.</param>
    private sealed record Sample(double PerSecond, double P50, double P99, double ProxyCpuUsPerRequest, int Failures, List<double> LatenciesMs);

    public static async Task RunAsync(BenchPlatform platform, BenchOptions options, RatioReport report)
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
        var duration = options.Time(Duration);
        foreach (var arm in arms)
        {
            report.AddErrors($"gateway benchmark warm-up, {arm.Name}", (await ClosedLoopGet.RunAsync(arm.Client, Path, Connections, options.Time(Warmup))).Failures);
        }

        using var management = new HttpClient { BaseAddress = platform.Host.Endpoint("apigateway", EndpointNames.Management) };
        await WarmUntilJitQuietAsync(arms[^1].Client, management, duration, options.Size(MaxWarmupChunks, 1), report);

        var samples = arms.ToDictionary(a => a.Name, _ => new List<Sample>());
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var arm in arms.Skip((round - 1) % arms.Length).Concat(arms.Take((round - 1) % arms.Length)))
            {
                var capacity = await ClosedLoopGet.RunAsync(arm.Client, Path, Connections, duration);
                var cpuBefore = ProcessCpu.Of(arm.ProxyProcesses());
                var atRate = await new OpenLoopLoad(arm.Client, Path, body: null, Connections).RunAsync(Rate, (int)duration.TotalSeconds);
                var cpu = ProcessCpu.Of(arm.ProxyProcesses()) - cpuBefore;
                var sorted = atRate.LatenciesMs.Order().ToList();
                var sample = new Sample(capacity.PerSecond, Percentiles.Of(sorted, 50), Percentiles.Of(sorted, 99),
                    cpu.TotalMicroseconds / sorted.Count, capacity.Failures + atRate.Failures.Values.Sum(), atRate.LatenciesMs);
                samples[arm.Name].Add(sample);
                report.AddErrors($"gateway benchmark round {round}, {arm.Name}, closed loop", capacity.Failures);
                report.AddFailures($"gateway benchmark round {round}, {arm.Name}, at {Rate}/s", atRate.Failures);
                Console.WriteLine($"round {round} {arm.Name,-8} {sample.PerSecond,8:F0} req/s closed loop; at {Rate}/s: p50 {sample.P50:F2} ms  p99 {sample.P99:F2} ms  " +
                    $"proxy CPU {sample.ProxyCpuUsPerRequest:F0} us/req  failures {sample.Failures}");
            }
        }

        Console.WriteLine();
        // Each arm's own percentiles, from its own runs: to read an arm, not to subtract one from another (the
        // added latency below is paired).
        Console.WriteLine($"| arm | closed-loop req/s (median) | p50 ms at {Rate}/s (median) | p99 ms at {Rate}/s (median) | proxy CPU us/req at {Rate}/s | failures |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var arm in arms)
        {
            var s = samples[arm.Name];
            Console.WriteLine($"| {arm.Name} | {Percentiles.Median(s.Select(x => x.PerSecond)):F0} | {Percentiles.Median(s.Select(x => x.P50)):F2} | {Percentiles.Median(s.Select(x => x.P99)):F2} | " +
                $"{(arm.Name == "direct" ? "—" : Percentiles.Median(s.Select(x => x.ProxyCpuUsPerRequest)).ToString("F0"))} | {s.Sum(x => x.Failures)} |");
        }

        Console.WriteLine();
        var (gateway, proxy, direct) = (samples["gateway"], samples["nginx"], samples["direct"]);
        report.Add("gateway req/s, GET /api/tasks", "nginx req/s", gateway.Zip(proxy, (g, n) => g.PerSecond / n.PerSecond), "P0", "≥ 90 %");
        report.Add($"gateway CPU per proxied request at {Rate} req/s", "nginx's", gateway.Zip(proxy, (g, n) => g.ProxyCpuUsPerRequest / n.ProxyCpuUsPerRequest), "F2", "≤ 2×");
        foreach (var percentile in new[] { 50, 99 })
        {
            report.Add($"gateway latency added over direct at {Rate} req/s, p{percentile} of paired per-request differences, ms",
                $"nginx's (median {Percentiles.Median(proxy.Zip(direct, (n, d) => PairedAdded(n, d, percentile))):F2} ms)",
                gateway.Zip(direct, (g, d) => PairedAdded(g, d, percentile)), "F2", percentile == 99 ? "≤ 5 ms" : "reported");
        }

        report.Add("nginx req/s", "direct req/s", proxy.Zip(direct, (n, d) => n.PerSecond / d.PerSecond), "P0", "(the anchor's own cost)");
    }

    /// <summary>
    /// The <paramref name="percentile"/> of request i's latency through the proxy minus request i's direct, over
    /// one round's two open-loop runs (the same request sequence).
    /// </summary>
    private static double PairedAdded(Sample proxied, Sample direct, double percentile) =>
        Percentiles.Of([.. proxied.LatenciesMs.Zip(direct.LatenciesMs, (p, d) => p - d).Order()], percentile);

    private static async Task WarmUntilJitQuietAsync(HttpClient gateway, HttpClient management, TimeSpan duration, int maxChunks, RatioReport report)
    {
        var jitSeconds = await JitSecondsAsync(management);
        for (var chunk = 1; chunk <= maxChunks; chunk++)
        {
            report.AddErrors($"gateway warm-up {chunk}", (await ClosedLoopGet.RunAsync(gateway, Path, Connections, duration)).Failures);
            var now = await JitSecondsAsync(management);
            var share = (now - jitSeconds) / duration.TotalSeconds;
            Console.WriteLine($"gateway warm-up {chunk}: JIT {share:P1} of a core");
            if (share < QuietJitShare)
            {
                return;
            }

            jitSeconds = now;
        }
    }

    private static async Task<double> JitSecondsAsync(HttpClient management)
    {
        var exposition = await management.GetStringAsync("/metrics");
        var line = exposition.Split('\n').Single(l => l.StartsWith("dotnet_jit_compilation_time_seconds_total", StringComparison.Ordinal));
        return double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static HttpClient WithBase(HttpClient client, string baseUrl)
    {
        client.BaseAddress = new Uri(baseUrl);
        return client;
    }
}
