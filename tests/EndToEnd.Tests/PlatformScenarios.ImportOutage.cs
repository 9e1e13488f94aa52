using System.Net;
using System.Text.Json;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

public sealed partial class PlatformScenarios
{
    /// <summary>
    /// Postgres stopped in the middle of an import's COPY, on the platform: the import service stays up (the same
    /// process throughout, not restarted) and answers 503 naming postgres meanwhile; once Postgres is back the job has
    /// failed whole with its reason, and the same file uploaded again is imported.
    /// </summary>
    [Fact]
    public async Task Postgres_stopped_during_an_import_fails_the_job_with_its_reason_the_import_service_stays_up_and_a_re_upload_succeeds()
    {
        var warehouse = Traffic.NewWarehouse("IMPOUT");
        var planner = platform.Client("planner", warehouse);
        var importService = platform.Host.ProcessId("importservice");
        // Big enough that the COPY is still running when Postgres stops (400,000 rows take seconds).
        var csv = Traffic.ImportCsv(warehouse, 400_000);
        var id = await Traffic.UploadAsync(planner, csv);
        await Eventually.TrueAsync(async () => (await Traffic.ImportJobAsync(planner, id)) is { } job
            && job.GetProperty("status").GetString() == "running" && job.GetProperty("importedRows").GetInt64() > 0,
            TimeSpan.FromSeconds(30), "the import copying rows");

        await platform.Host.StopResourceAsync("postgres");
        try
        {
            using var alive = await platform.ServiceClient("importservice", "planner", warehouse).GetAsync("/alive");
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
            using var during = await planner.GetAsync($"/api/imports/{id}");
            var problem = await during.ExpectAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal(("postgres", TimeSpan.FromSeconds(5)), (problem.GetProperty("dependency").GetString(), during.Headers.RetryAfter?.Delta));
        }
        finally
        {
            await platform.Host.StartResourceAsync("postgres");
        }

        var failed = await FinalJobAsync(planner, id);
        Assert.Equal(("failed", 0L), (failed.GetProperty("status").GetString(), failed.GetProperty("importedRows").GetInt64()));
        Assert.Contains("database connection was lost during the import", failed.GetProperty("error").GetString());
        Assert.Equal(0, (await (await planner.GetAsync($"/api/tasks?warehouseId={warehouse}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("total").GetInt64());
        Assert.Equal(importService, platform.Host.ProcessId("importservice"));

        var retried = await FinalJobAsync(planner, await Traffic.UploadAsync(planner, csv));
        Assert.Equal(("succeeded", 400_000L), (retried.GetProperty("status").GetString(), retried.GetProperty("importedRows").GetInt64()));
        Assert.Equal(importService, platform.Host.ProcessId("importservice"));

        var taskId = (await Traffic.CreateTaskAsync(planner, warehouse)).GetProperty("id").GetGuid();
        await LeaveHealthyAsync(taskId, warehouse, "importservice");
    }

    private static Task<JsonElement> FinalJobAsync(HttpClient planner, Guid id) => Traffic.FinalImportJobAsync(planner, id, TimeSpan.FromMinutes(2));
}
