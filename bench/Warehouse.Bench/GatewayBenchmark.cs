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
/// Then wrk, closed loop over the same connections: its req/s and the proxy's CPU per request at saturation. Every
/// request, the bench's and wrk's, carries the next of <see cref="Users"/> users' tokens.
/// </summary>
public static class GatewayBenchmark
{
    private const int Connections = 16;
    private const int Users = 100;
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

    private sealed record Arm(string Name, HttpClient Client, string Url, Func<IEnumerable<int>> ProxyProcesses);

    /// <param name="LatenciesMs">The open-loop run's latencies in request order, for the paired differences.</param>
    private sealed record Sample(
        double PerSecond, double P50, double P99, double ProxyCpuUsPerRequest, long Failures, List<double> LatenciesMs, double WrkPerSecond, double WrkCpuUsPerRequest);

    public static async Task RunAsync(BenchPlatform platform, BenchOptions options, RatioReport report)
    {
        var planner = platform.Client("apigateway", "planner", [Warehouse]);
        for (var i = 0; i < 20; i++)
        {
            (await planner.PostAsJsonAsync("/api/tasks", new { warehouseId = Warehouse, type = "pick", sku = $"SKU-{i}", quantity = 10, fromLocation = "A-01" })).EnsureSuccessStatusCode();
        }

        await using var nginx = await NginxProxy.StartAsync(platform.Url("taskservice"));
        var gatewayPid = BenchPlatform.ServiceProcessId("ApiGateway");
        var tokens = platform.Tokens("operator", [Warehouse], Users);
        Arm ArmTo(string name, string url, Func<IEnumerable<int>> processes) =>
            new(name, BenchPlatform.RotatingClient(url, tokens, Connections), url, processes);
        Arm[] arms =
        [
            ArmTo("direct", platform.Url("taskservice"), () => []),
            ArmTo("nginx", nginx.Url, () => nginx.ProcessIds),
            ArmTo("gateway", platform.Url("apigateway"), () => [gatewayPid]),
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
                var wrkCpuBefore = ProcessCpu.Of(arm.ProxyProcesses());
                var wrk = await Wrk.RunAsync(arm.Url, Path, tokens, Connections, duration);
                var wrkCpu = ProcessCpu.Of(arm.ProxyProcesses()) - wrkCpuBefore;
                var sorted = atRate.LatenciesMs.Order().ToList();
                var sample = new Sample(capacity.PerSecond, Percentiles.Of(sorted, 50), Percentiles.Of(sorted, 99),
                    cpu.TotalMicroseconds / sorted.Count, capacity.Failures + atRate.Failures.Values.Sum() + wrk.Errors, atRate.LatenciesMs,
                    wrk.PerSecond, wrkCpu.TotalMicroseconds / Math.Max(1, wrk.Requests));
                samples[arm.Name].Add(sample);
                report.AddErrors($"gateway benchmark round {round}, {arm.Name}, closed loop", capacity.Failures);
                report.AddFailures($"gateway benchmark round {round}, {arm.Name}, at {Rate}/s", atRate.Failures);
                report.AddErrors($"gateway benchmark round {round}, {arm.Name}, wrk", wrk.Errors, "errors (socket, timeout or non-2xx)");
                Console.WriteLine($"round {round} {arm.Name,-8} {sample.PerSecond,8:F0} req/s closed loop; at {Rate}/s: p50 {sample.P50:F2} ms  p99 {sample.P99:F2} ms  " +
                    $"proxy CPU {sample.ProxyCpuUsPerRequest:F0} us/req; wrk {sample.WrkPerSecond:F0} req/s, proxy CPU {sample.WrkCpuUsPerRequest:F0} us/req  failures {sample.Failures}");
            }
        }

        Console.WriteLine();
        // Each arm's own percentiles, from its own runs: to read an arm, not to subtract one from another (the
        // added latency below is paired).
        Console.WriteLine($"| arm | closed-loop req/s (median) | p50 ms at {Rate}/s (median) | p99 ms at {Rate}/s (median) | proxy CPU us/req at {Rate}/s | wrk req/s | proxy CPU us/req under wrk | failures |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var arm in arms)
        {
            var s = samples[arm.Name];
            Console.WriteLine($"| {arm.Name} | {Percentiles.Median(s.Select(x => x.PerSecond)):F0} | {Percentiles.Median(s.Select(x => x.P50)):F2} | {Percentiles.Median(s.Select(x => x.P99)):F2} | " +
                $"{Proxy(arm, s, x => x.ProxyCpuUsPerRequest)} | {Percentiles.Median(s.Select(x => x.WrkPerSecond)):F0} | {Proxy(arm, s, x => x.WrkCpuUsPerRequest)} | {s.Sum(x => x.Failures)} |");
        }

        Console.WriteLine();
        var (gateway, proxy, direct) = (samples["gateway"], samples["nginx"], samples["direct"]);
        report.Add("gateway req/s, GET /api/tasks", "nginx req/s", gateway.Zip(proxy, (g, n) => g.PerSecond / n.PerSecond), "P0", "≥ 90 %");
        report.Add($"gateway CPU per proxied request at {Rate} req/s", "nginx's", gateway.Zip(proxy, (g, n) => g.ProxyCpuUsPerRequest / n.ProxyCpuUsPerRequest), "F2", "≤ 2×");
        report.Add("gateway req/s under wrk, rotated tokens", "nginx's", gateway.Zip(proxy, (g, n) => g.WrkPerSecond / n.WrkPerSecond), "P0", "≥ 90 %");
        report.Add("gateway CPU per proxied request under wrk", "nginx's", gateway.Zip(proxy, (g, n) => g.WrkCpuUsPerRequest / n.WrkCpuUsPerRequest), "F2", "≤ 2×");
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

    private static string Proxy(Arm arm, List<Sample> samples, Func<Sample, double> value) =>
        arm.Name == "direct" ? "—" : Percentiles.Median(samples.Select(value)).ToString("F0");
}
