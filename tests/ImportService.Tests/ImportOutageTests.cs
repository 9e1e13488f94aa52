using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Warehouse.Data;
using Warehouse.ImportService.Model;
using Warehouse.ServiceDefaults.Http;
using Warehouse.Security;
using Warehouse.Testing;

namespace Warehouse.ImportService.Tests;

/// <summary>Postgres stopped for real in the middle of an import, and started again.</summary>
[Collection(ImportServiceCollection.Name)]
public sealed class ImportOutageTests(ImportServiceFixture fixture)
{
    [Fact]
    public async Task Postgres_stopped_mid_copy_fails_the_job_with_its_reason_the_service_keeps_serving_and_a_re_upload_succeeds()
    {
        // A service of its own: if the worker's exception stopped the host, it stops this one, not the collection's.
        await using var service = fixture.StartService();
        var warehouse = "OUT-" + Guid.NewGuid().ToString("N")[..8];
        var planner = fixture.ClientOf(service, Roles.Planner, warehouse);
        var csv = ImportApiClient.Header + "\n" + ImportApiClient.Rows(warehouse, 400_000);
        var job = await (await planner.UploadAsync(csv)).ReadAsync<ImportJob>(HttpStatusCode.Accepted);
        await Eventually.TrueAsync(async () =>
            (await (await planner.GetAsync($"/api/imports/{job.Id}")).ReadAsync<ImportJobView>(HttpStatusCode.OK)).Job is { Status: ImportStatuses.Running, ImportedRows: > 0 },
            TimeSpan.FromSeconds(10));

        await fixture.Data.StopAsync(DataInfrastructure.Postgres);
        try
        {
            (await service.CreateClient().GetAsync("/alive")).EnsureSuccessStatusCode();
            var during = await planner.GetAsync($"/api/imports/{job.Id}");
            var problem = await during.ExpectAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal((PostgresOutage.Dependency, DependencyOutage.RetryAfter), (problem.GetProperty("dependency").GetString(), during.Headers.RetryAfter?.Delta));
        }
        finally
        {
            await fixture.Data.StartAsync(DataInfrastructure.Postgres);
            // Connections the outage killed, idle in pools this test does not examine, would cost later tests a 503.
            fixture.Database.Clear();
            fixture.Factory.Services.GetRequiredService<NpgsqlDataSource>().Clear();
        }

        var failed = await WaitUntilFinalAsync(planner, job.Id);
        Assert.Equal((ImportStatuses.Failed, 0L), (failed.Status, failed.ImportedRows));
        Assert.Contains("database connection was lost during the import", failed.Error);
        Assert.Equal(0, await fixture.ScalarAsync("SELECT count(*) FROM tasks WHERE warehouse_id = $1", warehouse));
        Assert.False(service.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested, "the import service stopped");

        var retry = await (await planner.UploadAsync(csv)).ReadAsync<ImportJob>(HttpStatusCode.Accepted);
        var succeeded = await WaitUntilFinalAsync(planner, retry.Id);
        Assert.Equal((ImportStatuses.Succeeded, 400_000L), (succeeded.Status, succeeded.ImportedRows));
    }

    /// <summary>
    /// The job once final. Right after the outage a request may still meet a connection the outage broke: that is a
    /// 503 to retry, as a client would; anything else but 200 fails.
    /// </summary>
    private static async Task<ImportJob> WaitUntilFinalAsync(HttpClient client, Guid id) =>
        await Eventually.FoundAsync(async () =>
        {
            using var response = await client.GetAsync($"/api/imports/{id}");
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                return null;
            }

            var job = (await response.ReadAsync<ImportJobView>(HttpStatusCode.OK)).Job;
            return ImportStatuses.IsFinal(job.Status) ? job : null;
        }, TimeSpan.FromSeconds(60), () => $"import {id} never finished");
}
