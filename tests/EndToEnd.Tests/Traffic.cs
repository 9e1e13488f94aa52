using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

/// <summary>What a warehouse does in a day, through the gateway: tasks created and worked, scans, imports.</summary>
public static class Traffic
{
    public static string NewWarehouse(string prefix = "E2E") => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    public static async Task<JsonElement> CreateTaskAsync(HttpClient planner, string warehouse, int quantity = 10, string? assignee = "alice") =>
        await (await planner.PostAsJsonAsync("/api/tasks", new { warehouseId = warehouse, type = "pick", sku = "SKU-1", quantity, fromLocation = "A-01", assignee }))
            .ExpectAsync(System.Net.HttpStatusCode.Created);

    public static Task<HttpResponseMessage> ScanAsync(HttpClient operatorClient, Guid taskId, int quantity = 1, Guid? scanId = null) =>
        operatorClient.PostAsJsonAsync("/api/scan", new { scanId = scanId ?? Guid.NewGuid(), taskId, sku = "SKU-1", location = "A-01", quantity });

    public static async Task<JsonElement> ImportAsync(HttpClient planner, string csv)
    {
        var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        var job = await (await planner.PostAsync("/api/imports", content)).ExpectAsync(System.Net.HttpStatusCode.Accepted);
        var id = job.GetProperty("id").GetGuid();
        JsonElement view = default;
        await Eventually.TrueAsync(async () =>
        {
            view = await (await planner.GetAsync($"/api/imports/{id}")).ExpectAsync(System.Net.HttpStatusCode.OK);
            return view.GetProperty("job").GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled";
        }, TimeSpan.FromSeconds(30));
        return view;
    }

    /// <summary><paramref name="rows"/> pick tasks for <paramref name="warehouse"/> in the import's columns: big enough that a COPY runs for seconds.</summary>
    public static string ImportCsv(string warehouse, int rows) =>
        "warehouse_id,type,sku,quantity,from_location\n" + string.Concat(Enumerable.Range(1, rows).Select(i => $"{warehouse},pick,SKU-{i},1,A-{i % 100:00}\n"));

    /// <summary>Uploads <paramref name="csv"/> and returns the queued job's id (202).</summary>
    public static async Task<Guid> UploadAsync(HttpClient planner, string csv) =>
        (await (await planner.PostAsync("/api/imports", new StringContent(csv, Encoding.UTF8, "text/csv"))).ExpectAsync(System.Net.HttpStatusCode.Accepted))
            .GetProperty("id").GetGuid();

    /// <summary>The job; null on a 503 (a connection an outage broke, met once right after it): a client retries that.</summary>
    public static async Task<JsonElement?> ImportJobAsync(HttpClient planner, Guid id)
    {
        using var response = await planner.GetAsync($"/api/imports/{id}");
        return response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable ? null : (await response.ExpectAsync(System.Net.HttpStatusCode.OK)).GetProperty("job");
    }

    /// <summary>The job once it has ended (succeeded, failed or cancelled), failing past <paramref name="within"/>.</summary>
    public static async Task<JsonElement> FinalImportJobAsync(HttpClient planner, Guid id, TimeSpan within)
    {
        JsonElement job = default;
        await Eventually.TrueAsync(async () => await ImportJobAsync(planner, id) is { } found
            && (job = found).GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled",
            within, $"import {id} final");
        return job;
    }

    /// <summary>A working day in miniature: every service gets requests, every platform meter moves.</summary>
    public static async Task WorkAsync(PlatformFixture platform)
    {
        var warehouse = NewWarehouse();
        var planner = platform.Client("planner", warehouse);
        var operatorClient = platform.Client("operator", warehouse);
        var task = await CreateTaskAsync(planner, warehouse, quantity: 3);
        var id = task.GetProperty("id").GetGuid();
        var scanId = Guid.NewGuid();
        await ScanAsync(operatorClient, id, 1, scanId);
        await ScanAsync(operatorClient, id, 1, scanId);
        await ScanAsync(operatorClient, id, 99);
        await ScanAsync(operatorClient, id, 2);
        await operatorClient.GetAsync($"/api/tasks?warehouseId={warehouse}");
        await operatorClient.PostAsync("/api/tasks", new StringContent("{", Encoding.UTF8, "application/json"));
        await operatorClient.PostAsync("/api/scan", new StringContent("{ broken", Encoding.UTF8, "application/json"));
        await ImportAsync(planner, $"warehouse_id,type,sku,quantity,from_location\n{warehouse},count,SKU-2,1,B-01\n");
        await ImportAsync(planner, "warehouse_id,type,sku,quantity,from_location\nW,pick,SKU,lots,A\n");
        await planner.GetAsync("/openapi/taskservice.json");
    }
}
