using System.Net;
using System.Text;
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
        var csv = "warehouse_id,type,sku,quantity,from_location\n"
            + string.Concat(Enumerable.Range(1, 400_000).Select(i => $"{warehouse},pick,SKU-{i},1,A-{i % 100:00}\n"));
        var id = await UploadAsync(planner, csv);
        await Eventually.TrueAsync(async () => (await JobAsync(planner, id)) is { } job
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

        var retried = await FinalJobAsync(planner, await UploadAsync(planner, csv));
        Assert.Equal(("succeeded", 400_000L), (retried.GetProperty("status").GetString(), retried.GetProperty("importedRows").GetInt64()));
        Assert.Equal(importService, platform.Host.ProcessId("importservice"));

        var taskId = (await Traffic.CreateTaskAsync(planner, warehouse)).GetProperty("id").GetGuid();
        await LeaveHealthyAsync(taskId, warehouse, "importservice");
    }

    private static async Task<Guid> UploadAsync(HttpClient planner, string csv) =>
        (await (await planner.PostAsync("/api/imports", new StringContent(csv, Encoding.UTF8, "text/csv"))).ExpectAsync(HttpStatusCode.Accepted))
            .GetProperty("id").GetGuid();

    /// <summary>The job; null on a 503 (a connection the outage broke, met once right after it): a client retries that.</summary>
    private static async Task<JsonElement?> JobAsync(HttpClient planner, Guid id)
    {
        using var response = await planner.GetAsync($"/api/imports/{id}");
        return response.StatusCode == HttpStatusCode.ServiceUnavailable ? null : (await response.ExpectAsync(HttpStatusCode.OK)).GetProperty("job");
    }

    private static async Task<JsonElement> FinalJobAsync(HttpClient planner, Guid id)
    {
        JsonElement job = default;
        await Eventually.TrueAsync(async () => await JobAsync(planner, id) is { } found
            && (job = found).GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled",
            TimeSpan.FromMinutes(2), $"import {id} final");
        return job;
    }
}
