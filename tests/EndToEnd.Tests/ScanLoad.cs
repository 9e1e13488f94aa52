using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

/// <summary>An answer to a scan that was not 200: its status and, for a problem detail, what it names.</summary>
public sealed record ScanFailure(HttpStatusCode Status, string? ContentType, string? Dependency, TimeSpan? RetryAfter);

/// <summary>
/// A bounded scan load through the gateway while a fault happens: four handhelds, each its own user (the gateway limits
/// each user to 50 requests a second) on the gateway copies in turn, scan one task with unique scan ids, pacing themselves, until
/// <see cref="AfterRecovery"/> scans have been acknowledged after <see cref="Recovered"/>, or three minutes. Every answer
/// that is not 200 is kept; a request that gets no answer at all fails the load.
/// </summary>
public sealed class ScanLoad : IDisposable
{
    public const int AfterRecovery = 50;

    private readonly List<(HttpClient Client, ConcurrentQueue<Guid> Sent)> _handhelds;
    private readonly ConcurrentBag<Guid> _attempted = [];
    private readonly ConcurrentBag<Guid> _acknowledged = [];
    private readonly ConcurrentQueue<ScanFailure> _failures = new();
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(3));
    private readonly Task _load;
    private int _afterRecovery;
    private bool _recovered;

    private ScanLoad(PlatformFixture platform, string warehouse, Guid taskId)
    {
        Warehouse = warehouse;
        TaskId = taskId;
        _handhelds = [.. Enumerable.Range(0, 4).Select(i => (platform.Client("operator", warehouse, $"handheld-{i}", gateway: i), new ConcurrentQueue<Guid>()))];
        _load = Task.WhenAll(_handhelds.Select(handheld => Task.Run(() => ScanAsync(handheld.Client, handheld.Sent))));
    }

    public string Warehouse { get; }

    public Guid TaskId { get; }

    public int Attempted => _attempted.Count;

    public int Acknowledged => _acknowledged.Count;

    public IReadOnlyCollection<ScanFailure> Failures => _failures;

    /// <summary>Creates a task big enough for any run, starts the handhelds and returns once 50 scans are acknowledged.</summary>
    public static async Task<ScanLoad> StartAsync(PlatformFixture platform, string prefix)
    {
        var warehouse = Traffic.NewWarehouse(prefix);
        var taskId = (await Traffic.CreateTaskAsync(platform.Client("planner", warehouse), warehouse, quantity: 100_000)).GetProperty("id").GetGuid();
        var load = new ScanLoad(platform, warehouse, taskId);
        await Eventually.TrueAsync(() => load._load.IsFaulted || load.Acknowledged >= 50, TimeSpan.FromSeconds(30), "scans acknowledged before the fault");
        return load;
    }

    /// <summary>The fault is over: the load ends after <see cref="AfterRecovery"/> more acknowledged scans.</summary>
    public void Recovered() => Volatile.Write(ref _recovered, true);

    /// <summary>Waits for the load to end, which it must do by scans acknowledged after the recovery, not by its time limit.</summary>
    public async Task FinishAsync()
    {
        await _load;
        Assert.False(_stop.IsCancellationRequested, $"the load did not see {AfterRecovery} acknowledged scans after the recovery");
    }

    /// <summary>
    /// Every scan is stored at most once (scan_id is the key) and counted once, and every acknowledged one is stored:
    /// the task's quantity done lies between the acknowledged and the attempted scans. Then every attempted scan id is
    /// replayed (idempotent per scan id), which stores the ones whose answer was lost and counts none twice: quantity
    /// done is then exactly the attempted scans. Returns the quantity done before the replay.
    /// </summary>
    public async Task<int> AssertStoredExactlyOnceAsync()
    {
        var reader = _handhelds[0].Client;
        var before = await QuantityDoneAsync(reader);
        Assert.InRange(before, Acknowledged, Attempted);
        await Task.WhenAll(_handhelds.Select(async handheld =>
        {
            foreach (var scanId in handheld.Sent)
            {
                using var replay = await Traffic.ScanAsync(handheld.Client, TaskId, scanId: scanId);
                Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
                await Task.Delay(TimeSpan.FromMilliseconds(25));
            }
        }));

        Assert.Equal(Attempted, await QuantityDoneAsync(reader));
        return before;
    }

    /// <summary>
    /// Postgres's own record, read before any replay: the task's stored scans include every acknowledged scan id and
    /// only attempted ones, each once, and the task's quantity done counts each stored scan once (every scan is of 1).
    /// Returns the number of stored scans.
    /// </summary>
    public async Task<int> AssertStoredInPostgresAsync(NpgsqlDataSource database)
    {
        var stored = new List<Guid>();
        await using (var scans = database.CreateCommand("SELECT scan_id FROM scans WHERE task_id = $1"))
        {
            scans.Parameters.AddWithValue(TaskId);
            await using var reader = await scans.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                stored.Add(reader.GetGuid(0));
            }
        }

        await using var done = database.CreateCommand("SELECT quantity_done FROM tasks WHERE id = $1");
        done.Parameters.AddWithValue(TaskId);
        var quantityDone = (int)(await done.ExecuteScalarAsync())!;

        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.Empty(_acknowledged.Except(stored));
        Assert.Empty(stored.Except(_attempted));
        Assert.Equal(stored.Count, quantityDone);
        return stored.Count;
    }

    public override string ToString() =>
        $"{Attempted} scans sent, {Acknowledged} acknowledged, {_failures.Count} not: " +
        string.Join(", ", _failures.GroupBy(f => f).Select(g => $"{g.Count()} × {(int)g.Key.Status} {g.Key.Dependency}"));

    public void Dispose()
    {
        _stop.Dispose();
        foreach (var (client, _) in _handhelds)
        {
            client.Dispose();
        }
    }

    private async Task ScanAsync(HttpClient client, ConcurrentQueue<Guid> sent)
    {
        while (!_stop.IsCancellationRequested && Volatile.Read(ref _afterRecovery) < AfterRecovery)
        {
            var scanId = Guid.NewGuid();
            _attempted.Add(scanId);
            sent.Enqueue(scanId);
            using var response = await Traffic.ScanAsync(client, TaskId, scanId: scanId);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                _acknowledged.Add(scanId);
                if (Volatile.Read(ref _recovered))
                {
                    Interlocked.Increment(ref _afterRecovery);
                }
            }
            else
            {
                _failures.Enqueue(await DescribeAsync(response));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), CancellationToken.None);
        }
    }

    private static async Task<ScanFailure> DescribeAsync(HttpResponseMessage response)
    {
        var contentType = response.Content.Headers.ContentType?.MediaType;
        var dependency = contentType == "application/problem+json"
            && (await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("dependency", out var named)
            ? named.GetString()
            : null;
        return new ScanFailure(response.StatusCode, contentType, dependency, response.Headers.RetryAfter?.Delta);
    }

    private async Task<int> QuantityDoneAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/tasks/{TaskId}")).GetProperty("quantityDone").GetInt32();
}
