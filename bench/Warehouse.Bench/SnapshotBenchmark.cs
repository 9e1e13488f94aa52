using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Warehouse.Client;

namespace Warehouse.Bench;

/// <summary>
/// Time to a client's first consistent view of one warehouse through the gateway, for 1,000, 100,000 and 600,000
/// tasks seeded with SQL (one in <c>--open-every</c>, default 20, open, assigned or in progress; the rest done, as in a
/// warehouse that has been working for a while; <c>--open-every 1</c> for the worst case, every task open). A/B alternate within each round and each round starts with the next:
/// <c>before</c> is the read the clients made up to a8d7a5b (every task, 200 a page, <c>page=</c>/OFFSET with a count
/// per page); <c>after</c> is today's .NET client, <see cref="WarehouseTaskView.StartAsync"/> (connect, join, read the
/// open tasks from <c>GET /api/tasks/snapshot</c>). A before-read longer than <c>--limit</c> seconds is stopped there,
/// so its time and the ratio are lower bounds.
/// </summary>
public static class SnapshotBenchmark
{
    private const string Warehouse = "BENCH-SNAP";
    private const int OldPageSize = 200;
    private static readonly int[] Sizes = [1_000, 100_000, 600_000];

    private sealed record OldPage(List<JsonElement> Items, long Total, long? Sequence);

    public static async Task RunAsync(BenchPlatform bench, BenchOptions options, RatioReport report)
    {
        var limit = TimeSpan.FromSeconds(options.Seconds);
        var http = bench.Client("apigateway", "operator", [Warehouse], connections: 1);
        var token = bench.Token("operator", [Warehouse]);
        var clientOptions = new WarehouseClientOptions
        {
            Gateway = new Uri(bench.Url("apigateway")),
            WarehouseId = Warehouse,
            AccessTokenProvider = () => Task.FromResult<string?>(token),
        };

        foreach (var size in options.Smoke ? Sizes[..1] : Sizes)
        {
            await SeedAsync(bench, size, options.OpenEvery);
            var open = size / options.OpenEvery;
            // Warm-up: JIT, connection pools, and the table and indexes in Postgres' cache, for both arms.
            await ReadOldAsync(http, limit);
            await using (await WarehouseTaskView.StartAsync(clientOptions))
            {
            }

            var ratios = new List<double>();
            for (var round = 1; round <= options.Rounds; round++)
            {
                double before = 0, after = 0;
                foreach (var arm in round % 2 == 1 ? ["before", "after"] : new[] { "after", "before" })
                {
                    if (arm == "before")
                    {
                        var (seconds, tasks, finished) = await ReadOldAsync(http, limit);
                        before = seconds;
                        Console.WriteLine($"snapshot {size:N0} round {round}: before {seconds:F3} s, {tasks:N0} tasks{(finished ? "" : $" (stopped at the {limit.TotalSeconds:F0} s limit)")}");
                    }
                    else
                    {
                        var clock = Stopwatch.StartNew();
                        await using var view = await WarehouseTaskView.StartAsync(clientOptions);
                        after = clock.Elapsed.TotalSeconds;
                        Console.WriteLine($"snapshot {size:N0} round {round}: after  {after:F3} s, {view.Tasks.Count:N0} open tasks (expected {open:N0}) at sequence {view.Sequence}");
                        report.AddErrors($"snapshot {size:N0} round {round}", Math.Abs(view.Tasks.Count - open), $"{view.Tasks.Count:N0} open tasks, expected {open:N0}");
                    }
                }

                ratios.Add(before / after);
            }

            report.Add($"first consistent view, {size:N0} tasks ({open:N0} open): before ÷ after", "the read of a8d7a5b's clients, same run", ratios, "F1", "> 1 (×)");
        }
    }

    /// <summary>
    /// Fills the warehouse with SQL in one statement: ids as the services make them (time-ordered), one task in
    /// <paramref name="openEvery"/> open, assigned or in progress, the rest done; then VACUUM ANALYZE, as autovacuum would.
    /// </summary>
    private static async Task SeedAsync(BenchPlatform bench, int size, int openEvery)
    {
        var clock = Stopwatch.StartNew();
        await BenchPostgres.PsqlAsync(bench, "TRUNCATE tasks CASCADE");
        await BenchPostgres.PsqlAsync(bench, string.Create(CultureInfo.InvariantCulture, $"""
            INSERT INTO tasks (id, warehouse_id, type, sku, quantity, quantity_done, from_location, to_location, status, assignee, version)
            SELECT (lpad(to_hex(1700000000000 + i), 12, '0') || '7000' || '8000' || lpad(to_hex(i), 12, '0'))::uuid,
                   '{Warehouse}', (ARRAY['pick', 'putaway', 'count', 'move'])[1 + i % 4], 'SKU-' || (i % 5000), 10,
                   CASE WHEN i % {openEvery} = 0 THEN 0 ELSE 10 END, 'A-' || (i % 300), 'B-' || (i % 300),
                   CASE WHEN i % {openEvery} <> 0 THEN 'done' ELSE (ARRAY['open', 'assigned', 'in_progress'])[1 + (i / {openEvery}) % 3] END,
                   CASE WHEN i % {openEvery} = 0 AND (i / {openEvery}) % 3 = 0 THEN NULL ELSE 'user' || (i % 40) END,
                   CASE WHEN i % {openEvery} = 0 THEN 1 + (i / {openEvery}) % 3 ELSE 4 END
            FROM generate_series(1, {size}) AS i
            """));
        await BenchPostgres.PsqlAsync(bench, string.Create(CultureInfo.InvariantCulture,
            $"INSERT INTO warehouse_sequences VALUES ('{Warehouse}', {size}) ON CONFLICT (warehouse_id) DO UPDATE SET sequence = EXCLUDED.sequence"));
        await BenchPostgres.PsqlAsync(bench, "VACUUM ANALYZE tasks");
        Console.WriteLine($"snapshot: seeded {size:N0} tasks in {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>The clients' read before this change: every page of <c>GET /api/tasks</c>, read again when two pages disagree on the sequence.</summary>
    private static async Task<(double Seconds, int Tasks, bool Finished)> ReadOldAsync(HttpClient http, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var tasks = 0;
            long? sequence = null;
            var consistent = true;
            for (var number = 1; consistent; number++)
            {
                if (clock.Elapsed > limit)
                {
                    return (clock.Elapsed.TotalSeconds, tasks, false);
                }

                var page = (await http.GetFromJsonAsync<OldPage>($"/api/tasks?warehouseId={Warehouse}&page={number}&pageSize={OldPageSize}", JsonSerializerOptions.Web))!;
                sequence ??= page.Sequence ?? 0;
                consistent = (page.Sequence ?? 0) == sequence;
                tasks += page.Items.Count;
                if (page.Items.Count < OldPageSize || number * OldPageSize >= page.Total)
                {
                    break;
                }
            }

            if (consistent)
            {
                return (clock.Elapsed.TotalSeconds, tasks, true);
            }
        }
    }
}
