using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Warehouse.Bench;

/// <summary>
/// Load at a fixed arrival rate, measured the way wrk2 does: request <c>i</c> is due at <c>i / rate</c> seconds, a fixed
/// set of connections takes due requests in order, and latency counts from when a request was due. A stall therefore
/// delays every request queued behind it and shows in the percentiles instead of silently lowering the rate
/// (no coordinated omission). Bodies are formatted as bytes, and no task is started per request, to keep the load
/// generator cheap: it shares the machine's cores with what it measures.
/// </summary>
/// <param name="body">The JSON body of request <c>i</c> (a POST), or null for GETs.</param>
public sealed class OpenLoopLoad(HttpClient client, string path, Func<long, string>? body, int connections)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public sealed record Result(List<double> LatenciesMs, IReadOnlyDictionary<string, int> Failures, double AchievedRate, TimeSpan ClientCpu);

    /// <summary>A closed-loop run: successful requests per second, how many succeeded, and the failures by kind.</summary>
    public sealed record Capacity(double PerSecond, long Succeeded, IReadOnlyDictionary<string, int> Failures)
    {
        public int FailureCount => Failures.Values.Sum();

        public string DescribeFailures() => FailureCount == 0 ? "0 failed"
            : $"{FailureCount} failed ({string.Join(", ", Failures.Select(f => $"{f.Key}: {f.Value}"))})";
    }

    public async Task<Result> RunAsync(int rate, int seconds)
    {
        var total = (long)rate * seconds;
        var latencies = new double[total];
        var failures = new Dictionary<string, int>();
        long next = -1;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();

        async Task Connection()
        {
            for (var i = Interlocked.Increment(ref next); i < total; i = Interlocked.Increment(ref next))
            {
                var due = TimeSpan.FromSeconds((double)i / rate);
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                var failure = await SendAsync(i);
                latencies[i] = (clock.Elapsed - due).TotalMilliseconds;
                if (failure is not null)
                {
                    lock (failures)
                    {
                        failures[failure] = failures.GetValueOrDefault(failure) + 1;
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(Connection)));
        var elapsed = clock.Elapsed;
        return new Result([.. latencies], failures, total / elapsed.TotalSeconds, Process.GetCurrentProcess().TotalProcessorTime - cpuBefore);
    }

    /// <summary>
    /// Closed loop, for capacity: each of <paramref name="connectionCount"/> connections sends its next request as soon
    /// as the last one completes, for <paramref name="duration"/>. Returns successful requests per second and the
    /// failures, which the caller reports: a failed request is cheaper than a scan, so a rate with failures flatters.
    /// </summary>
    public async Task<Capacity> CapacityAsync(int connectionCount, TimeSpan duration)
    {
        long next = -1;
        long succeeded = 0;
        var failures = new Dictionary<string, int>();
        var clock = Stopwatch.StartNew();

        async Task Connection()
        {
            while (clock.Elapsed < duration)
            {
                if (await SendAsync(Interlocked.Increment(ref next)) is { } failure)
                {
                    lock (failures)
                    {
                        failures[failure] = failures.GetValueOrDefault(failure) + 1;
                    }
                }
                else
                {
                    Interlocked.Increment(ref succeeded);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, connectionCount).Select(_ => Task.Run(Connection)));
        return new Capacity(succeeded / clock.Elapsed.TotalSeconds, succeeded, failures);
    }

    private async Task<string?> SendAsync(long i)
    {
        try
        {
            using var response = body is null ? await client.GetAsync(path) : await client.PostAsync(path, Content(body(i)));
            await response.Content.LoadIntoBufferAsync();
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException ex)
        {
            return ex.HttpRequestError.ToString();
        }
    }

    private static ByteArrayContent Content(string json)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = Json;
        return content;
    }
}
