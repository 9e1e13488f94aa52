using System.Diagnostics;

namespace Warehouse.Bench;

/// <summary>
/// Closed loop, as wrk runs it: each connection sends its next GET as soon as the last one completes, for a fixed
/// time; throughput, the latency of every request, and the failures.
/// </summary>
public static class ClosedLoopGet
{
    public sealed record Result(double PerSecond, List<double> LatenciesMs, int Failures);

    public static async Task<Result> RunAsync(HttpClient client, string path, int connections, TimeSpan duration)
    {
        var latencies = new List<double>[connections];
        var failures = 0;
        var clock = Stopwatch.StartNew();

        async Task Connection(int index)
        {
            var mine = latencies[index] = [];
            while (clock.Elapsed < duration)
            {
                var started = clock.Elapsed;
                try
                {
                    using var response = await client.GetAsync(path, HttpCompletionOption.ResponseContentRead);
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref failures);
                        continue;
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                    continue;
                }

                mine.Add((clock.Elapsed - started).TotalMilliseconds);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, connections).Select(i => Task.Run(() => Connection(i))));
        var all = latencies.SelectMany(l => l).ToList();
        return new Result(all.Count / clock.Elapsed.TotalSeconds, all, failures);
    }
}
