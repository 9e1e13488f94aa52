using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Warehouse.Bench;

/// <summary>
/// A generated CSV of tasks imported by the import service, against psql's \copy of the same rows into the same
/// table on the same Postgres (the raw COPY ceiling); plus the import service's peak resident memory.
/// </summary>
public static class ImportBenchmark
{
    public static async Task RunAsync(BenchPlatform bench, BenchOptions options)
    {
        var dir = Directory.CreateTempSubdirectory("warehouse-bench-csv-").FullName;
        try
        {
            var csv = Path.Combine(dir, "tasks.csv");
            var copyCsv = Path.Combine(dir, "tasks-with-ids.csv");
            var size = Generate(options.Rows, csv, copyCsv);
            Console.WriteLine($"import: {options.Rows:N0} rows, {size / 1024.0 / 1024.0:F1} MB");

            var copySeconds = await TimeAsync(() => PsqlAsync(bench,
                $"\\copy tasks (id, warehouse_id, type, sku, quantity, from_location, to_location, status, assignee) FROM '{copyCsv}' WITH (FORMAT csv, HEADER true)"));
            await PsqlAsync(bench, "TRUNCATE tasks CASCADE");
            Console.WriteLine($"  psql \\copy:      {copySeconds:F2} s, {options.Rows / copySeconds:N0} rows/s");

            var pid = BenchPlatform.ServiceProcessId("ImportService");
            await File.WriteAllTextAsync($"/proc/{pid}/clear_refs", "5");
            var client = bench.Client("importservice", "planner", Enumerable.Range(0, 20).Select(i => $"WH-{i:00}").ToArray());
            var clock = Stopwatch.StartNew();
            await using var file = File.OpenRead(csv);
            var content = new StreamContent(file);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
            var job = await (await client.PostAsync("/api/imports?fileName=bench.csv", content)).Content.ReadFromJsonAsync<JsonElement>();
            var uploaded = clock.Elapsed;
            var view = await WaitAsync(client, job.GetProperty("id").GetGuid());
            var total = clock.Elapsed;
            var started = view.GetProperty("startedAt").GetDateTimeOffset();
            var finished = view.GetProperty("finishedAt").GetDateTimeOffset();
            var importSeconds = (finished - started).TotalSeconds;
            var imported = view.GetProperty("importedRows").GetInt64();
            var peakMb = PeakResidentMegabytes(pid);

            Console.WriteLine($"  import service:  {importSeconds:F2} s, {imported / importSeconds:N0} rows/s ({view.GetProperty("status").GetString()}, {imported:N0} rows)");
            Console.WriteLine($"  ratio to \\copy:  {copySeconds / importSeconds * 100:F0} % of raw COPY's rows/s (target >= 70 %)");
            Console.WriteLine($"  upload {uploaded.TotalSeconds:F2} s + import = {total.TotalSeconds:F2} s end to end");
            Console.WriteLine($"  import service peak RSS during the run: {peakMb:F0} MB (target < 250 MB)");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
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

    private static double PeakResidentMegabytes(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0)
            .Single();

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task PsqlAsync(BenchPlatform bench, string command)
    {
        var start = new ProcessStartInfo("psql")
        {
            ArgumentList = { "-h", "127.0.0.1", "-p", bench.Host.Endpoint("postgres", "tcp").Port.ToString(), "-U", "postgres", "-d", "warehousedb", "-v", "ON_ERROR_STOP=1", "-q", "-c", command },
            RedirectStandardError = true,
        };
        start.Environment["PGPASSWORD"] = bench.Secrets.PostgresPassword;
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"psql failed: {error}");
        }
    }
}
