using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Warehouse.ImportService.Model;
using Warehouse.Security;
using Warehouse.Testing;

namespace Warehouse.ImportService.Tests;

public static class ImportApiClient
{
    public const string Header = "warehouse_id,type,sku,quantity,from_location,to_location,assignee";

    public static Task<HttpResponseMessage> UploadAsync(this HttpClient client, string csv, bool skipInvalidRows = false) =>
        client.UploadAsync(Encoding.UTF8.GetBytes(csv), skipInvalidRows);

    public static Task<HttpResponseMessage> UploadAsync(this HttpClient client, byte[] body, bool skipInvalidRows = false)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return client.PostAsync($"/api/imports?skipInvalidRows={skipInvalidRows}&fileName=test.csv", content);
    }

    /// <summary>Uploads and waits for the job to finish.</summary>
    public static async Task<ImportJobView> ImportAsync(this HttpClient client, string csv, bool skipInvalidRows = false)
    {
        var job = await (await client.UploadAsync(csv, skipInvalidRows)).ReadAsync<ImportJob>(HttpStatusCode.Accepted);
        return await client.WaitForAsync(job.Id);
    }

    public static async Task<ImportJobView> WaitForAsync(this HttpClient client, Guid id, int errors = 100)
    {
        ImportJobView? view = null;
        await Eventually.TrueAsync(async () =>
        {
            view = await (await client.GetAsync($"/api/imports/{id}?errors={errors}")).ReadAsync<ImportJobView>(HttpStatusCode.OK);
            return ImportStatuses.IsFinal(view.Job.Status);
        }, TimeSpan.FromSeconds(30));
        return view!;
    }

    /// <summary>The job as it is now (no waiting).</summary>
    public static async Task<ImportJob> CurrentAsync(this HttpClient client, Guid id) =>
        (await (await client.GetAsync($"/api/imports/{id}")).ReadAsync<ImportJobView>(HttpStatusCode.OK)).Job;

    public static string Rows(string warehouse, int count) =>
        string.Concat(Enumerable.Range(1, count).Select(i => $"{warehouse},pick,SKU-{i},{i % 50 + 1},A-{i % 100:00},,\n"));
}

/// <summary>
/// One test's own warehouse, and a planner whose token covers it and the fixed warehouse ids the file-format
/// tests write (and nothing else): every upload runs under warehouse isolation as a real planner's would.
/// </summary>
public sealed class Uploader(ImportServiceFixture fixture)
{
    public static readonly string[] FixedWarehouses = ["W", "W1", "UTF"];

    public string Warehouse { get; } = "IMP-" + Guid.NewGuid().ToString("N")[..8];

    public HttpClient Planner => field ??= fixture.Client(Roles.Planner, [Warehouse, .. FixedWarehouses]);
}
