using System.Net;
using System.Text;
using Warehouse.ImportService.Model;
using Warehouse.Security;
using Warehouse.Testing;

namespace Warehouse.ImportService.Tests;

/// <summary>
/// Several copies of the service on one database (issue 22): any copy runs any job, each job runs once, a job whose
/// copy stopped is taken back once its lease expires and never before, and cancel works from whichever copy.
/// </summary>
[Collection(ImportServiceCollection.Name)]
public sealed class ImportCopiesTests(ImportServiceFixture fixture) : IAsyncLifetime
{
    private readonly string _warehouse = "CPY-" + Guid.NewGuid().ToString("N")[..8];
    private ImportCopies? _copies;

    private ImportCopies Copies => _copies!;

    public async Task InitializeAsync() => _copies = await ImportCopies.CreateAsync(fixture);

    public async Task DisposeAsync() => await Copies.DisposeAsync();

    [Fact]
    public async Task A_job_queued_on_a_copy_without_a_worker_runs_on_another_copy_that_reads_its_upload()
    {
        var receiver = Copies.Start(worker: false);
        var runner = Copies.Start();
        // Over 1 MiB: the file is stored, and read back by the other copy, in several chunks.
        const int rows = 60_000;
        var planner = Copies.Planner(receiver, _warehouse);

        var view = await planner.ImportAsync(ImportApiClient.Header + "\n" + ImportApiClient.Rows(_warehouse, rows));

        Assert.Equal((ImportStatuses.Succeeded, (long)rows), (view.Job.Status, view.Job.ImportedRows));
        Assert.True(view.Job.SizeBytes > 1 << 20, $"the file has {view.Job.SizeBytes} bytes");
        Assert.Equal(ImportCopies.OwnerId(runner), await Copies.ValueAsync<string>("SELECT owner FROM import_jobs WHERE id = $1", view.Job.Id));
        Assert.Equal(rows, await Copies.ScalarAsync("SELECT count(*) FROM tasks WHERE import_job_id = $1", view.Job.Id));
        Assert.Equal(0, await Copies.ScalarAsync("SELECT count(*) FROM import_uploads WHERE job_id = $1", view.Job.Id));
    }

    [Fact]
    public async Task Many_jobs_sent_to_several_copies_each_run_exactly_once()
    {
        // Short polls, so idle copies race for every job instead of leaving it to the copy that received it.
        var copies = Enumerable.Range(0, 3).Select(_ => Copies.Start(poll: TimeSpan.FromMilliseconds(20))).ToList();
        const int jobsPerCopy = 10;
        const int rows = 200;

        var jobs = await Task.WhenAll(copies.SelectMany(copy => Enumerable.Range(0, jobsPerCopy).Select(async _ =>
        {
            var planner = Copies.Planner(copy, _warehouse);
            var job = await (await planner.UploadAsync(ImportApiClient.Header + "\n" + ImportApiClient.Rows(_warehouse, rows))).ReadAsync<ImportJob>(HttpStatusCode.Accepted);
            return await planner.WaitForAsync(job.Id);
        })));

        Assert.All(jobs, view => Assert.Equal((ImportStatuses.Succeeded, (long)rows), (view.Job.Status, view.Job.ImportedRows)));
        // Claimed once each (a second claim would count a second attempt), and their rows written once each.
        Assert.Equal(0, await Copies.ScalarAsync("SELECT count(*) FROM import_jobs WHERE attempts <> 1"));
        Assert.Equal(jobs.Length * (long)rows, await Copies.ScalarAsync("SELECT count(*) FROM tasks WHERE warehouse_id = $1", _warehouse));
        Assert.Equal(0, await Copies.ScalarAsync("SELECT count(*) FROM (SELECT import_job_id FROM tasks GROUP BY import_job_id HAVING count(*) <> $1) AS wrong", rows));
        Assert.True(await Copies.ScalarAsync("SELECT count(DISTINCT owner) FROM import_jobs") > 1, "one copy ran every job");
    }

    [Fact]
    public async Task A_job_whose_copy_stopped_renewing_runs_again_or_fails_when_its_attempts_are_spent_and_a_live_copys_job_is_never_touched()
    {
        await Copies.MigrateAsync();
        var csv = Encoding.UTF8.GetBytes(ImportApiClient.Header + "\n" + ImportApiClient.Rows(_warehouse, 5));
        // As copies left them: one died during its first attempt, one during the last, one is alive (lease current).
        var retried = await InsertRunningAsync("gone-1", TimeSpan.FromSeconds(-1), attempts: 1, csv);
        var spent = await InsertRunningAsync("gone-2", TimeSpan.FromSeconds(-1), attempts: 2, csv);
        var alive = await InsertRunningAsync("alive", TimeSpan.FromHours(1), attempts: 1, csv);

        var copy = Copies.Start();
        var admin = fixture.ClientOf(copy, Roles.Admin);
        var rerun = await admin.WaitForAsync(retried);
        var failed = await admin.WaitForAsync(spent);

        Assert.Equal((ImportStatuses.Succeeded, 5L), (rerun.Job.Status, rerun.Job.ImportedRows));
        Assert.Equal((2L, ImportCopies.OwnerId(copy)), (await Copies.ScalarAsync("SELECT attempts FROM import_jobs WHERE id = $1", retried),
            await Copies.ValueAsync<string>("SELECT owner FROM import_jobs WHERE id = $1", retried)));
        Assert.Equal((ImportStatuses.Failed, 0L), (failed.Job.Status, failed.Job.ImportedRows));
        Assert.Equal("Interrupted: the copy running it stopped (2 attempt(s)); nothing was imported. Upload the file again.", failed.Job.Error);
        Assert.Equal(0, await Copies.ScalarAsync("SELECT count(*) FROM import_uploads WHERE job_id = $1", spent));
        // Both recovered by now, so the worker has looked at the live copy's job at least once.
        Assert.Equal((ImportStatuses.Running, "alive", 1L), ((await admin.CurrentAsync(alive)).Status,
            await Copies.ValueAsync<string>("SELECT owner FROM import_jobs WHERE id = $1", alive), await Copies.ScalarAsync("SELECT attempts FROM import_jobs WHERE id = $1", alive)));
    }

    [Fact]
    public async Task A_live_copy_keeps_its_job_for_many_lease_lengths_while_other_copies_look_for_expired_leases()
    {
        // A 1 s lease, renewed every 1/3 s, over a run of several seconds; the other copies look for expired leases every 20 ms.
        var receiver = Copies.Start(worker: false);
        _ = Copies.Start(lease: TimeSpan.FromSeconds(1), poll: TimeSpan.FromMilliseconds(20));
        _ = Copies.Start(lease: TimeSpan.FromSeconds(1), poll: TimeSpan.FromMilliseconds(20));
        const int rows = 400_000;

        var view = await Copies.Planner(receiver, _warehouse).ImportAsync(ImportApiClient.Header + "\n" + ImportApiClient.Rows(_warehouse, rows));

        Assert.Equal((ImportStatuses.Succeeded, (long)rows, 1L), (view.Job.Status, view.Job.ImportedRows, await Copies.ScalarAsync("SELECT attempts FROM import_jobs WHERE id = $1", view.Job.Id)));
        Assert.True(view.Job.FinishedAt - view.Job.StartedAt > TimeSpan.FromSeconds(2), $"the run took {view.Job.FinishedAt - view.Job.StartedAt}: under two lease lengths, it proves nothing");
        Assert.Equal(rows, await Copies.ScalarAsync("SELECT count(*) FROM tasks WHERE warehouse_id = $1", _warehouse));
    }

    [Fact]
    public async Task A_cancel_sent_to_a_copy_that_is_not_running_the_job_stops_it_and_writes_nothing()
    {
        var receiver = Copies.Start(worker: false);
        var runner = Copies.Start();
        var planner = Copies.Planner(receiver, _warehouse);
        var job = await (await planner.UploadAsync(ImportApiClient.Header + "\n" + ImportApiClient.Rows(_warehouse, 1_000_000))).ReadAsync<ImportJob>(HttpStatusCode.Accepted);
        await Eventually.TrueAsync(async () => (await planner.CurrentAsync(job.Id)) is { Status: ImportStatuses.Running, ImportedRows: > 0 }, TimeSpan.FromSeconds(10));

        await (await planner.PostAsync($"/api/imports/{job.Id}/cancel", null)).ExpectAsync(HttpStatusCode.Accepted);

        // The runner gives up its COPY (no COPY left on the database) well before the file's end; the next job runs there.
        await Eventually.TrueAsync(async () => await Copies.ScalarAsync(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY tasks %' AND state <> 'idle'") == 0, TimeSpan.FromSeconds(5));
        var view = await planner.WaitForAsync(job.Id);
        Assert.Equal((ImportStatuses.Cancelled, 0L), (view.Job.Status, view.Job.ImportedRows));
        Assert.Equal(0, await Copies.ScalarAsync("SELECT count(*) FROM tasks WHERE warehouse_id = $1", _warehouse));
        var next = await planner.ImportAsync(ImportApiClient.Header + "\n" + ImportApiClient.Rows(_warehouse, 3));
        Assert.Equal((ImportStatuses.Succeeded, ImportCopies.OwnerId(runner)), (next.Job.Status, await Copies.ValueAsync<string>("SELECT owner FROM import_jobs WHERE id = $1", next.Job.Id)));
        Assert.Equal(3, await Copies.ScalarAsync("SELECT count(*) FROM tasks WHERE warehouse_id = $1", _warehouse));
    }

    [Fact]
    public async Task A_copy_that_stops_gives_its_running_job_back_and_another_copy_runs_it_whole()
    {
        var receiver = Copies.Start(worker: false);
        var stopping = Copies.Start();
        var planner = Copies.Planner(receiver, _warehouse);
        const int rows = 400_000;
        var job = await (await planner.UploadAsync(ImportApiClient.Header + "\n" + ImportApiClient.Rows(_warehouse, rows))).ReadAsync<ImportJob>(HttpStatusCode.Accepted);
        await Eventually.TrueAsync(async () => (await planner.CurrentAsync(job.Id)) is { Status: ImportStatuses.Running, ImportedRows: > 0 }, TimeSpan.FromSeconds(10));

        await Copies.StopAsync(stopping);

        Assert.Equal((ImportStatuses.Queued, 0L), ((await planner.CurrentAsync(job.Id)).Status, await Copies.ScalarAsync("SELECT attempts FROM import_jobs WHERE id = $1", job.Id)));
        var successor = Copies.Start();
        var view = await planner.WaitForAsync(job.Id);
        Assert.Equal((ImportStatuses.Succeeded, (long)rows, ImportCopies.OwnerId(successor)), (view.Job.Status, view.Job.ImportedRows,
            await Copies.ValueAsync<string>("SELECT owner FROM import_jobs WHERE id = $1", job.Id)));
        Assert.Equal(rows, await Copies.ScalarAsync("SELECT count(*) FROM tasks WHERE warehouse_id = $1", _warehouse));
    }

    /// <summary>A job as a copy leaves it while running: its owner, a lease ending <paramref name="leaseEndsIn"/> from now, its file.</summary>
    private async Task<Guid> InsertRunningAsync(string owner, TimeSpan leaseEndsIn, int attempts, byte[] csv)
    {
        var id = Guid.CreateVersion7();
        await Copies.ScalarAsync("""
            WITH job AS (
                INSERT INTO import_jobs (id, status, file_name, skip_invalid_rows, size_bytes, created_by, started_at, owner, lease_expires_at, attempts)
                VALUES ($1, 'running', 'copy.csv', false, $2, 'tester', now(), $3, now() + $4, $5) RETURNING id)
            INSERT INTO import_uploads (job_id, seq, data) SELECT id, 0, $6 FROM job RETURNING 1
            """, id, (long)csv.Length, owner, leaseEndsIn, attempts, csv);
        return id;
    }
}
