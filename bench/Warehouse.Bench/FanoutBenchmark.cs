using System.Diagnostics;
using System.Text.Json;
using Warehouse.Testing;

namespace Warehouse.Bench;

/// <summary>
/// SignalR fan-out with the official JavaScript client (bench/fanout/fanout.mjs): 200, 500 and 1,000 hub connections
/// in one warehouse receive 50 task changes sent at 5/s, their hub connections through the gateway or direct to the
/// realtime worker, alternating within each round. Both arms POST the changes the same way, direct to the task
/// service, so the arms differ only in the hub path. Latency runs from just before each change's POST to its
/// delivery. Per arm: deliveries p50/p99, missed deliveries (errors: the run fails), the first change after 5 s idle
/// (the cold path), and the realtime worker's CPU per delivered message. Each delivery's latency is split at the
/// worker's send time, which every notification carries (<c>sentAt</c>; the driver and the platform share one machine's
/// clock): the platform's part runs from the POST to the worker's send, the receive part from that send to the client
/// (the worker's writes over the group, the gateway if any, and the receiving client, whose event-loop utilisation and
/// delay are reported beside it). The clients are held by <c>--receivers</c> Node worker threads (default 2, one
/// event loop each; the changes are POSTed from a third): up to issue 27 item 5 one Node event loop received all of
/// them, and it was itself most of the p99 at 1,000 clients (bench/RESULTS.md). Before the first round every arm is driven
/// once, unmeasured, so that no arm's first run is the platform's first. After the largest size, the worker's memory
/// a minute after the clients left against its idle memory.
/// </summary>
public static class FanoutBenchmark
{
    private const string Warehouse = "BENCH-FANOUT";
    private const int Changes = 50;
    private const int PerSecond = 5;
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AfterClientsLeave = TimeSpan.FromMinutes(1);
    private static readonly string Driver = Path.Combine(Repository.Root, "bench", "fanout");

    private sealed record Sample(
        double P50, double P99, double FirstP50, double FirstEarliest, double RestEarliestMedian, double FirstRestMs, double RestMsMedian, long Missed,
        double WorkerCpuUsPerMessage, Split Split, EventLoop EventLoop);

    /// <summary>
    /// A delivery's latency in two: POST to the worker's send (weighted per delivery, as the latency is), and send to
    /// receipt; the first change's of each against the median of the later changes'.
    /// </summary>
    private sealed record Split(
        double ServerP50, double ServerP99, double ReceiveP50, double ReceiveP99, double PublishedP50, double FirstServer, double RestServerMedian,
        double FirstReceiveP50, double RestReceiveP50Median);

    /// <summary>The busiest Node receiver's event loop over the changes: utilisation (0-1), delay and V8's collections, ms.</summary>
    private sealed record EventLoop(double Utilisation, double DelayP99Ms, double DelayMaxMs, double GcMs, double GcMaxMs);

    private sealed record Driven(
        double ConnectMs, List<double> RestMs, List<List<double>> Deliveries, List<double> PublishedMs, List<double> ServerSentMs, List<List<double>> Received,
        EventLoop EventLoop, TimeSpan WorkerCpu);

    public static async Task RunAsync(BenchPlatform platform, BenchOptions options, RatioReport report)
    {
        await Tool.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], workingDirectory: Driver, timeout: TimeSpan.FromMinutes(5));
        var worker = BenchPlatform.ServiceProcessId("RealtimeWorker");
        var idleMb = ProcessMemory.ResidentMegabytes(worker);
        await ProcessMemory.ResetPeak(worker);
        var token = platform.Token("planner", [Warehouse]);
        (string Name, string Hub)[] arms = [("direct", platform.Url("realtimeworker")), ("gateway", platform.Url("apigateway"))];
        var changes = options.Size(Changes, 3);
        object Config((string Name, string Hub) arm, int clients, string tag) => new
        {
            hubUrl = arm.Hub + "/hubs/tasks", apiUrl = platform.Url("taskservice"), token, warehouseId = Warehouse, clients, changes,
            perSecond = PerSecond, idleMs = (int)options.Time(Idle).TotalMilliseconds, tag, receivers = options.Receivers,
        };

        foreach (var arm in arms)
        {
            var missed = Summarise(await DriveAsync(worker, Config(arm, options.Clients.Min(), $"FAN-warm-up-{arm.Name}")), options.Clients.Min(), changes).Missed;
            Console.WriteLine($"fan-out warm-up {arm.Name}: {missed} missed");
            report.AddErrors($"fan-out warm-up, {arm.Name}", missed, "missed deliveries");
        }

        foreach (var clients in options.Clients)
        {
            var samples = arms.ToDictionary(a => a.Name, _ => new List<Sample>());
            for (var round = 1; round <= options.Rounds; round++)
            {
                foreach (var arm in round % 2 == 1 ? arms : arms.Reverse())
                {
                    var driven = await DriveAsync(worker, Config(arm, clients, $"FAN-{clients}-{round}-{arm.Name}"));
                    var sample = Summarise(driven, clients, changes);
                    samples[arm.Name].Add(sample);
                    report.AddErrors($"fan-out {clients} clients, round {round}, {arm.Name}", sample.Missed, "missed deliveries");
                    Console.WriteLine($"fan-out {clients,5} clients, round {round} {arm.Name,-8} connected in {driven.ConnectMs / 1000:F1} s  p50 {sample.P50:F1} ms  p99 {sample.P99:F1} ms  missed {sample.Missed}  " +
                        $"first change: POST {sample.FirstRestMs:F0} ms (median {sample.RestMsMedian:F1} ms), deliveries p50 {sample.FirstP50:F1} ms, " +
                        $"earliest {sample.FirstEarliest:F1} ms (median {sample.RestEarliestMedian:F1} ms)  " +
                        $"worker CPU {sample.WorkerCpuUsPerMessage:F1} us/message");
                    var split = sample.Split;
                    Console.WriteLine($"    split: POST -> worker's send p50 {split.ServerP50:F1} ms p99 {split.ServerP99:F1} ms (published p50 {split.PublishedP50:F1} ms), " +
                        $"send -> client p50 {split.ReceiveP50:F1} ms p99 {split.ReceiveP99:F1} ms; first change: POST -> send {split.FirstServer:F1} ms " +
                        $"(median {split.RestServerMedian:F1} ms), send -> client p50 {split.FirstReceiveP50:F1} ms (median {split.RestReceiveP50Median:F1} ms); " +
                        $"busiest receiver's event loop {sample.EventLoop.Utilisation:P0} busy, delay p99 {sample.EventLoop.DelayP99Ms:F1} ms max {sample.EventLoop.DelayMaxMs:F1} ms, " +
                        $"GC {sample.EventLoop.GcMs:F0} ms (longest {sample.EventLoop.GcMaxMs:F1} ms)");
                }
            }

            var gateway = samples["gateway"];
            var direct = samples["direct"];
            report.Add($"fan-out {clients} clients: p50 through the gateway", "p50 direct", gateway.Zip(direct, (g, d) => g.P50 / d.P50), "P0", "≤ 120 %");
            report.Add($"fan-out {clients} clients: p99 through the gateway, ms", $"p99 direct (median {Percentiles.Median(direct.Select(d => d.P99)):F1} ms)",
                gateway.Select(g => g.P99), "F1", clients == options.Clients.Max() ? "< 50 ms" : "—");
            report.Add($"fan-out {clients} clients: first change's delivery p50 / the rest's, through the gateway", "later changes, same arm",
                gateway.Select(g => g.FirstP50 / g.P50), "F2", "no outlier (≈ 1)");
            report.Add($"fan-out {clients} clients: POST to the worker's send, p99 through the gateway, ms", $"direct (median {Percentiles.Median(direct.Select(d => d.Split.ServerP99)):F1} ms)",
                gateway.Select(g => g.Split.ServerP99), "F1", "reported");
            report.Add($"fan-out {clients} clients: worker's send to the client, p99 through the gateway, ms", $"direct (median {Percentiles.Median(direct.Select(d => d.Split.ReceiveP99)):F1} ms)",
                gateway.Select(g => g.Split.ReceiveP99), "F1", "reported");
            report.Add($"fan-out {clients} clients: first change's POST to the worker's send / the rest's, through the gateway", "later changes, same arm",
                gateway.Select(g => g.Split.FirstServer / g.Split.RestServerMedian), "F2", "reported");
            report.Add($"fan-out {clients} clients: first change's send to the client p50 / the rest's, through the gateway", "later changes, same arm",
                gateway.Select(g => g.Split.FirstReceiveP50 / g.Split.RestReceiveP50Median), "F2", "reported");
            report.Add($"fan-out {clients} clients: missed deliveries", $"{clients * changes} per arm", gateway.Concat(direct).Select(s => (double)s.Missed), "F0", "0");
            report.Add($"fan-out {clients} clients: realtime worker CPU per delivered message, us", "direct arm (median " +
                $"{Percentiles.Median(direct.Select(d => d.WorkerCpuUsPerMessage)):F1} us)", gateway.Select(g => g.WorkerCpuUsPerMessage), "F1", "reported");
        }

        var peakMb = ProcessMemory.PeakResidentMegabytes(worker);
        await Task.Delay(options.Time(AfterClientsLeave));
        var afterMb = ProcessMemory.ResidentMegabytes(worker);
        report.Add($"realtime worker memory a minute after the clients left (peak {peakMb:F0} MB)", $"idle before them: {idleMb:F0} MB",
            [afterMb / idleMb], "P0", "≤ 120 %");
    }

    private static Sample Summarise(Driven driven, int clients, int changes)
    {
        var all = driven.Deliveries.SelectMany(d => d).Order().ToList();
        var first = driven.Deliveries[0].Order().ToList();
        var missed = (long)clients * changes - all.Count;
        // The earliest delivery of a change tells a late start (the platform) from a slow spread (sending or receiving).
        return new Sample(Percentiles.Of(all, 50), Percentiles.Of(all, 99), Percentiles.Of(first, 50), first.FirstOrDefault(),
            Percentiles.Median(driven.Deliveries.Skip(1).Where(d => d.Count > 0).Select(d => d.Min())), driven.RestMs[0],
            Percentiles.Median(driven.RestMs), missed, driven.WorkerCpu.TotalMicroseconds / Math.Max(1, all.Count), SplitOf(driven), driven.EventLoop);
    }

    private static Split SplitOf(Driven driven)
    {
        var delivered = Enumerable.Range(0, driven.Received.Count).Where(i => driven.Received[i].Count > 0).ToList();
        var server = delivered.SelectMany(i => Enumerable.Repeat(driven.ServerSentMs[i], driven.Received[i].Count)).Order().ToList();
        var received = driven.Received.SelectMany(r => r).Order().ToList();
        var receiveP50s = delivered.Skip(1).Select(i => Percentiles.Of(driven.Received[i].Order().ToList(), 50));
        return new Split(Percentiles.Of(server, 50), Percentiles.Of(server, 99), Percentiles.Of(received, 50), Percentiles.Of(received, 99),
            Percentiles.Median(delivered.Select(i => driven.PublishedMs[i])), driven.ServerSentMs[0], Percentiles.Median(delivered.Skip(1).Select(i => driven.ServerSentMs[i])),
            Percentiles.Of(driven.Received[0].Order().ToList(), 50), Percentiles.Median(receiveP50s));
    }

    /// <summary>Runs the driver; the worker's CPU is read at the driver's marks around the changes.</summary>
    private static async Task<Driven> DriveAsync(int worker, object config)
    {
        var start = new ProcessStartInfo(Tool.Require("node"))
        {
            ArgumentList = { Path.Combine(Driver, "fanout.mjs"), JsonSerializer.Serialize(config) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Driver,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var errors = process.StandardError.ReadToEndAsync();
        TimeSpan cpuAtStart = default, cpu = default;
        string? result = null;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            switch (line)
            {
                case "changes-start":
                    cpuAtStart = ProcessCpu.Of([worker]);
                    break;
                case "changes-end":
                    cpu = ProcessCpu.Of([worker]) - cpuAtStart;
                    break;
                default:
                    result = line;
                    break;
            }
        }

        await process.WaitForExitAsync();
        if (process.ExitCode != 0 || result is null)
        {
            throw new InvalidOperationException($"the fan-out driver failed (exit code {process.ExitCode}): {await errors}");
        }

        using var json = JsonDocument.Parse(result);
        var root = json.RootElement;
        // A change no client received has no send time: JSON null in the driver's sparse arrays.
        List<double> Values(string name) => root.GetProperty(name).EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.NaN).ToList();
        List<List<double>> PerChange(string name) => root.GetProperty(name).EnumerateArray().Select(d => d.EnumerateArray().Select(e => e.GetDouble()).ToList()).ToList();
        var eventLoop = root.GetProperty("eventLoop");
        return new Driven(
            root.GetProperty("connectMs").GetDouble(), Values("restMs"), PerChange("deliveries"), Values("publishedMs"), Values("serverSentMs"), PerChange("received"),
            new EventLoop(eventLoop.GetProperty("utilisation").GetDouble(), eventLoop.GetProperty("delayP99Ms").GetDouble(), eventLoop.GetProperty("delayMaxMs").GetDouble(),
                eventLoop.GetProperty("gcMs").GetDouble(), eventLoop.GetProperty("gcMaxMs").GetDouble()),
            cpu);
    }
}
