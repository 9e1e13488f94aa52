using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Warehouse.Testing;

namespace Warehouse.Bench;

/// <summary>
/// A generated CSV of tasks imported by the import service, against psql's \copy of the same rows into the same
/// table on the same Postgres (the raw COPY ceiling), alternating within each round and emptying the table after
/// each arm; plus the import service's peak resident memory during its imports. An import that does not succeed
/// with every row is an error of the run.
/// </summary>
public static class ImportBenchmark
{
    private const int WarmupRows = 50_000;
    private const string CopyColumns = "id, warehouse_id, type, sku, quantity, from_location, to_location, status, assignee";

    public static async Task RunAsync(BenchPlatform bench, BenchOptions options, RatioReport report)
    {
        using var dir = new TempDir("warehouse-bench-csv");
        var csv = dir.Combine("tasks.csv");
        var copyCsv = dir.Combine("tasks-with-ids.csv");
        var size = Generate(options.Rows, csv, copyCsv);
        Console.WriteLine($"import: {options.Rows:N0} rows, {size / 1024.0 / 1024.0:F1} MB");

        var pid = BenchPlatform.ServiceProcessId("ImportService");
        await ProcessMemory.ResetPeak(pid);
        var client = bench.Client("importservice", "planner", Enumerable.Range(0, 20).Select(i => $"WH-{i:00}").ToArray());
        // Warm-up: the first import of a fresh service JITs its whole path (measured: 51 % of \copy cold, 86 % warm).
        var warmupRows = options.Size(WarmupRows, 1_000);
        Generate(warmupRows, dir.Combine("warmup.csv"), dir.Combine("warmup-with-ids.csv"));
        await ImportAsync(client, dir.Combine("warmup.csv"), "warm-up", warmupRows, report);
        await BenchPostgres.PsqlAsync(bench, "TRUNCATE tasks CASCADE");

        var ratios = new List<double>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            double copySeconds = 0, importSeconds = 0;
            foreach (var arm in round % 2 == 1 ? ["copy", "import"] : new[] { "import", "copy" })
            {
                if (arm == "copy")
                {
                    copySeconds = await TimeAsync(() => BenchPostgres.PsqlAsync(bench,
                        $"\\copy tasks ({CopyColumns}) FROM '{copyCsv}' WITH (FORMAT csv, HEADER true)"));
                    Console.WriteLine($"import round {round}: psql \\copy      {copySeconds:F2} s, {options.Rows / copySeconds:N0} rows/s");
                }
                else
                {
                    importSeconds = await ImportAsync(client, csv, $"round {round}", options.Rows, report);
                }

                await BenchPostgres.PsqlAsync(bench, "TRUNCATE tasks CASCADE");
            }

            ratios.Add(copySeconds / importSeconds);
        }

        report.Add($"import rows/s, {options.Rows:N0} rows", "psql \\copy of the same rows", ratios, "P0", "≥ 90 %");
        report.Add("import service peak RSS during the imports, MB", "—", [ProcessMemory.PeakResidentMegabytes(pid)], "F0", "< 250 MB");
    }

    /// <summary>Uploads the CSV and waits for the job; returns the import's own duration (started to finished).</summary>
    private static async Task<double> ImportAsync(HttpClient client, string csv, string label, int rows, RatioReport report)
    {
        var clock = Stopwatch.StartNew();
        await using var file = File.OpenRead(csv);
        var content = new StreamContent(file);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        var job = await (await client.PostAsync($"/api/imports?fileName=bench-{label.Replace(' ', '-')}.csv", content)).Content.ReadFromJsonAsync<JsonElement>();
        var uploaded = clock.Elapsed;
        var view = await WaitAsync(client, job.GetProperty("id").GetGuid());
        var seconds = (view.GetProperty("finishedAt").GetDateTimeOffset() - view.GetProperty("startedAt").GetDateTimeOffset()).TotalSeconds;
        var imported = view.GetProperty("importedRows").GetInt64();
        var status = view.GetProperty("status").GetString();
        report.AddErrors($"import {label}", status == "succeeded" ? rows - imported : Math.Max(1, rows - imported), $"{status}, {imported:N0} of {rows:N0} rows");
        Console.WriteLine($"import {label}: import service {seconds:F2} s, {imported / seconds:N0} rows/s ({status}, {imported:N0} rows; " +
            $"upload {uploaded.TotalSeconds:F2} s, {clock.Elapsed.TotalSeconds:F2} s end to end)");
        return seconds;
    }

    private static long Generate(int rows, string csv, string copyCsv)
    {
        string[] types = ["pick", "putaway", "count", "move"];
        using var plain = new StreamWriter(csv);
        using var withIds = new StreamWriter(copyCsv);
        plain.WriteLine("warehouse_id,type,sku,quantity,from_location,to_location,assignee");
        withIds.WriteLine("id,warehouse_id,type,sku,quantity,from_location,to_location,status,assignee");
        for (var i = 0; i < rows; i++)
        {
            var type = types[i % 4];
            var to = type is "putaway" or "move" ? $"B-{i % 300:000}" : "";
            var assignee = i % 3 == 0 ? $"user{i % 40}" : "";
            var row = $"WH-{i % 20:00},{type},SKU-{i % 5000:00000},{1 + i % 50},A-{i % 300:000},{to},{assignee}";
            plain.WriteLine(row);
            var status = assignee.Length > 0 ? "assigned" : "open";
            withIds.WriteLine($"{Guid.CreateVersion7()},WH-{i % 20:00},{type},SKU-{i % 5000:00000},{1 + i % 50},A-{i % 300:000},{to},{status},{assignee}");
        }

        plain.Flush();
        return plain.BaseStream.Length;
    }

    private static async Task<JsonElement> WaitAsync(HttpClient client, Guid id)
    {
        while (true)
        {
            var view = (await client.GetFromJsonAsync<JsonElement>($"/api/imports/{id}")).GetProperty("job");
            if (view.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled")
            {
                return view;
            }

            await Task.Delay(100);
        }
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed.TotalSeconds;
    }
}
