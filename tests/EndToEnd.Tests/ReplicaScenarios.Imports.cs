using System.Diagnostics;
using System.Net;
using Npgsql;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

/// <summary>
/// The import copy running a job is killed (SIGKILL: no shutdown, so it cannot hand its job back). Its COPY dies with
/// its connection, its lease runs out (30 s, renewed every 10 s), and a live copy takes the job back and runs it from
/// the start; the file is in Postgres, so any copy can. A job queued after the kill runs meanwhile, on the survivor or
/// on the killed copy the supervisor has started again (a new process, so a new owner: the old lease is not its own).
/// </summary>
public sealed partial class ReplicaScenarios
{
    /// <summary>The import's lease (ImportService's <c>Imports:LeaseDuration</c>, its default).</summary>
    private static readonly TimeSpan ImportLease = TimeSpan.FromSeconds(30);

    private const int ImportRows = 300_000;

    [Fact]
    public async Task A_killed_import_copy_running_a_job_leaves_no_partial_rows_and_the_job_ends_after_its_lease_on_a_live_copy()
    {
        var (first, second) = (Traffic.NewWarehouse("RIMPA"), Traffic.NewWarehouse("RIMPB"));
        var planner = platform.Client("planner", first);
        var otherPlanner = platform.Client("planner", second);
        await using var database = await platform.DatabaseAsync();

        // Killed as soon as a copy has claimed it: 300,000 rows are a COPY of a few seconds here.
        var killedJob = await Traffic.UploadAsync(planner, Traffic.ImportCsv(first, ImportRows));
        string? owner = null;
        await Eventually.TrueAsync(async () => (owner = await RunningOwnerAsync(database, killedJob)) is not null,
            TimeSpan.FromSeconds(30), "the first import claimed by a copy");
        var running = CopyRunning(owner!);
        var clock = Stopwatch.StartNew();
        var back = await platform.KillAndAwaitRecoveryAsync(running, () => platform.Host.KillAsync(running), PlatformScenarios.ComesBackWithin);

        // Queued once the killed copy is back (under a new owner id): a copy runs it while the killed job's lease runs out.
        var nextJob = await Traffic.UploadAsync(otherPlanner, Traffic.ImportCsv(second, ImportRows));
        var bound = ImportLease + TimeSpan.FromMinutes(2);
        var retried = await Traffic.FinalImportJobAsync(planner, killedJob, bound);
        var ended = clock.Elapsed;
        var next = await Traffic.FinalImportJobAsync(otherPlanner, nextJob, bound);
        var (attempts, retriedOwner) = await AttemptsAndOwnerAsync(database, killedJob);
        var rowsFirst = await TasksAsync(planner, first);
        output.WriteLine($"{running} killed running a {ImportRows:N0}-row import (back in {back.TotalSeconds:F1} s): the job ended " +
            $"{retried.GetProperty("status").GetString()} {ended.TotalSeconds:F0} s after the kill (lease {ImportLease.TotalSeconds:F0} s, bound " +
            $"{bound.TotalSeconds:F0} s), claimed {attempts} times, last by {CopyOf(retriedOwner)}; {rowsFirst:N0} rows in its warehouse. The job " +
            $"queued after the kill {next.GetProperty("status").GetString()} on {CopyOf((await AttemptsAndOwnerAsync(database, nextJob)).Owner)}");

        Assert.Equal(("succeeded", (long)ImportRows), (next.GetProperty("status").GetString(), next.GetProperty("importedRows").GetInt64()));
        Assert.Equal((long)ImportRows, await TasksAsync(otherPlanner, second));

        // The killed job ran again whole (its warehouse holds exactly one complete run), or failed naming why with no
        // row; either way the file uploaded again is imported.
        switch (retried.GetProperty("status").GetString())
        {
            case "succeeded":
                Assert.Equal((2, (long)ImportRows, (long)ImportRows), (attempts, retried.GetProperty("importedRows").GetInt64(), rowsFirst));
                break;
            case "failed":
                Assert.Contains("the copy running it stopped", retried.GetProperty("error").GetString());
                Assert.Equal(0L, rowsFirst);
                var again = await Traffic.FinalImportJobAsync(planner, await Traffic.UploadAsync(planner, Traffic.ImportCsv(first, ImportRows)), bound);
                Assert.Equal(("succeeded", (long)ImportRows), (again.GetProperty("status").GetString(), await TasksAsync(planner, first)));
                break;
            default:
                Assert.Fail($"The killed copy's job ended {retried}");
                break;
        }
    }

    /// <summary>The owner of the job once a copy runs it; null while it is queued.</summary>
    private static async Task<string?> RunningOwnerAsync(NpgsqlDataSource database, Guid job)
    {
        await using var command = database.CreateCommand("SELECT owner FROM import_jobs WHERE id = $1 AND status = 'running'");
        command.Parameters.Add(new() { Value = job });
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>The copy whose process wrote <paramref name="owner"/>, or the owner itself for a process no longer running.</summary>
    private string CopyOf(string owner) =>
        platform.CopiesOf("importservice").FirstOrDefault(copy => Pid(copy) == owner.Split('/')[1]) ?? owner;

    /// <summary>The copy of importservice whose process is the job owner's (<c>host/pid/nonce</c>, ImportCopy).</summary>
    private string CopyRunning(string owner) =>
        Assert.Single(platform.CopiesOf("importservice"), copy => Pid(copy) == owner.Split('/')[1]);

    private string Pid(string copy) => platform.Host.ProcessId(copy).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<(int Attempts, string Owner)> AttemptsAndOwnerAsync(NpgsqlDataSource database, Guid job)
    {
        await using var command = database.CreateCommand("SELECT attempts, owner FROM import_jobs WHERE id = $1");
        command.Parameters.Add(new() { Value = job });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"import job {job} is not in import_jobs");
        return (reader.GetInt32(0), reader.GetString(1));
    }

    private static async Task<long> TasksAsync(HttpClient planner, string warehouse) =>
        (await (await planner.GetAsync($"/api/tasks?warehouseId={warehouse}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("total").GetInt64();
}
