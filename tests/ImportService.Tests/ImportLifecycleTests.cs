using System.Net;
using Warehouse.ImportService.Model;
using Warehouse.Testing;

namespace Warehouse.ImportService.Tests;

[Collection(ImportServiceCollection.Name)]
public sealed class ImportLifecycleTests(ImportServiceFixture fixture)
{
    private readonly Uploader _uploader = new(fixture);

    [Fact]
    public async Task A_running_import_can_be_cancelled_and_writes_nothing()
    {
        var warehouse = _uploader.Warehouse;
        var job = await (await _uploader.Planner.UploadAsync(ImportApiClient.Header + "\n" + ImportApiClient.Rows(warehouse, 400_000))).ReadAsync<ImportJob>(HttpStatusCode.Accepted);
        // Cancelled after it has reported progress, so its counters have something to be honest about.
        await Eventually.TrueAsync(async () =>
            (await (await _uploader.Planner.GetAsync($"/api/imports/{job.Id}")).ReadAsync<ImportJobView>(HttpStatusCode.OK)).Job is { Status: ImportStatuses.Running, ImportedRows: > 0 },
            TimeSpan.FromSeconds(10));

        await (await _uploader.Planner.PostAsync($"/api/imports/{job.Id}/cancel", null)).ExpectAsync(HttpStatusCode.Accepted);
        var view = await _uploader.Planner.WaitForAsync(job.Id);

        Assert.Equal((ImportStatuses.Cancelled, 0L), (view.Job.Status, view.Job.ImportedRows));
        Assert.Equal(0, await fixture.ScalarAsync("SELECT count(*) FROM tasks WHERE warehouse_id = $1", warehouse));
        await (await _uploader.Planner.PostAsync($"/api/imports/{job.Id}/cancel", null)).ExpectAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_queued_import_can_be_cancelled_and_never_runs()
    {
        var warehouse = _uploader.Warehouse;
        var running = await (await _uploader.Planner.UploadAsync(ImportApiClient.Header + "\n" + ImportApiClient.Rows(warehouse, 400_000))).ReadAsync<ImportJob>(HttpStatusCode.Accepted);
        await Eventually.TrueAsync(async () =>
            (await (await _uploader.Planner.GetAsync($"/api/imports/{running.Id}")).ReadAsync<ImportJobView>(HttpStatusCode.OK)).Job.Status == ImportStatuses.Running,
            TimeSpan.FromSeconds(10));
        // The worker runs one job at a time: while the large one runs, this one waits in the queue.
        var queued = await (await _uploader.Planner.UploadAsync(ImportApiClient.Header + "\n" + ImportApiClient.Rows(warehouse, 3))).ReadAsync<ImportJob>(HttpStatusCode.Accepted);
        Assert.Equal(ImportStatuses.Queued, queued.Status);

        var cancelled = await (await _uploader.Planner.PostAsync($"/api/imports/{queued.Id}/cancel", null)).ReadAsync<ImportJob>(HttpStatusCode.Accepted);
        await (await _uploader.Planner.PostAsync($"/api/imports/{running.Id}/cancel", null)).ExpectAsync(HttpStatusCode.Accepted);
        // Queued after the cancelled one, so the worker has passed it once this one is done.
        var sentinel = await _uploader.Planner.ImportAsync(ImportApiClient.Header + "\n" + ImportApiClient.Rows(warehouse, 2));

        Assert.Equal((ImportStatuses.Cancelled, 0L, "Cancelled by request; nothing was imported."), (cancelled.Status, cancelled.ImportedRows, cancelled.Error));
        var after = (await (await _uploader.Planner.GetAsync($"/api/imports/{queued.Id}")).ReadAsync<ImportJobView>(HttpStatusCode.OK)).Job;
        Assert.Equal((ImportStatuses.Cancelled, null, 0L), (after.Status, after.StartedAt, after.TotalRows));
        Assert.Equal((ImportStatuses.Succeeded, 2L), (sentinel.Job.Status, sentinel.Job.ImportedRows));
        Assert.Equal(2, await fixture.ScalarAsync("SELECT count(*) FROM tasks WHERE warehouse_id = $1", warehouse));
        await (await _uploader.Planner.PostAsync($"/api/imports/{queued.Id}/cancel", null)).ExpectAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_database_connection_killed_mid_copy_fails_the_job_with_a_reason_writes_nothing_and_a_retry_succeeds()
    {
        var warehouse = _uploader.Warehouse;
        var csv = ImportApiClient.Header + "\n" + ImportApiClient.Rows(warehouse, 400_000);
        var job = await (await _uploader.Planner.UploadAsync(csv)).ReadAsync<ImportJob>(HttpStatusCode.Accepted);

        // The COPY is under way once rows are reported; then its server process is terminated, as a failover or an
        // administrator would.
        await Eventually.TrueAsync(async () =>
            (await (await _uploader.Planner.GetAsync($"/api/imports/{job.Id}")).ReadAsync<ImportJobView>(HttpStatusCode.OK)).Job is { Status: ImportStatuses.Running, ImportedRows: > 0 },
            TimeSpan.FromSeconds(10));
        var terminated = await fixture.ScalarAsync(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'COPY tasks %' AND pid <> pg_backend_pid()) AS killed");
        Assert.Equal(1, terminated);

        var view = await _uploader.Planner.WaitForAsync(job.Id);
        Assert.Equal((ImportStatuses.Failed, 0L), (view.Job.Status, view.Job.ImportedRows));
        Assert.Contains("database connection was lost during the import", view.Job.Error);
        Assert.Contains("Nothing was imported", view.Job.Error);
        Assert.Equal(0, await fixture.ScalarAsync("SELECT count(*) FROM tasks WHERE warehouse_id = $1", warehouse));

        var retry = await _uploader.Planner.WaitForAsync((await (await _uploader.Planner.UploadAsync(csv)).ReadAsync<ImportJob>(HttpStatusCode.Accepted)).Id);
        Assert.Equal((ImportStatuses.Succeeded, 400_000L), (retry.Job.Status, retry.Job.ImportedRows));
        Assert.Equal(400_000, await fixture.ScalarAsync("SELECT count(*) FROM tasks WHERE warehouse_id = $1", warehouse));
    }

    [Fact]
    public async Task Import_metrics_count_jobs_and_rows_by_outcome()
    {
        const string succeeded = "warehouse_import_jobs_total{status=\"succeeded\"}";
        // The only copy on its database: any copy may run a job, and a job counts on the copy that ran it.
        await using var copies = await ImportCopies.CreateAsync(fixture);
        var service = copies.Start();
        var client = service.CreateClient();
        var before = await client.GetStringAsync("/metrics");

        await copies.Planner(service, Uploader.FixedWarehouses).ImportAsync($"{ImportApiClient.Header}\nW1,pick,S,1,A,,\nW1,pick,S,x,A,,\n", skipInvalidRows: true);

        // The job is final in the database a moment before the worker counts it.
        var exposition = before;
        await Eventually.TrueAsync(async () =>
        {
            exposition = await client.GetStringAsync("/metrics");
            return Exposition.Value(exposition, succeeded) > Exposition.Value(before, succeeded);
        }, TimeSpan.FromSeconds(10));
        var promtool = await Promtool.CheckMetricsAsync(exposition);

        Assert.True(promtool.ExitCode == 0, promtool.ToString());
        foreach (var series in new[] { succeeded, "warehouse_import_rows_total{outcome=\"imported\"}", "warehouse_import_rows_total{outcome=\"rejected\"}" })
        {
            Assert.Equal(Exposition.Value(before, series) + 1, Exposition.Value(exposition, series));
        }

        Assert.Contains("warehouse_import_job_duration_seconds_bucket{", exposition);
        Assert.Equal(0, Exposition.Value(exposition, "warehouse_import_jobs_running{}"));
    }

    /// <summary>rate() cannot see a series' first sample: the first failed import after a start must count.</summary>
    [Fact]
    public async Task A_fresh_service_exposes_its_counters_at_zero()
    {
        var exposition = await Exposition.OfFreshServiceAsync(fixture);

        string[] series =
        [
            "warehouse_import_jobs_total{status=\"succeeded\"}", "warehouse_import_jobs_total{status=\"failed\"}",
            "warehouse_import_jobs_total{status=\"cancelled\"}", "warehouse_import_rows_total{outcome=\"imported\"}",
            "warehouse_import_rows_total{outcome=\"rejected\"}", "warehouse_import_jobs_running{}",
        ];
        Assert.All(series, s => Assert.Equal(0, Exposition.Value(exposition, s)));
    }
}
