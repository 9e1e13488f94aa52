using System.Net;
using System.Net.Http.Json;
using Warehouse.Contracts.Tasks;
using Warehouse.Security;
using Warehouse.TaskService.Model;
using Warehouse.Testing;

namespace Warehouse.TaskService.Tests;

/// <summary>Shortcuts for the calls most tests start with; each test uses its own warehouse id to stay independent.</summary>
public static class TaskApiClient
{
    public static string NewWarehouse() => "WH-" + Guid.NewGuid().ToString("N")[..8];

    public static async Task<TaskItem> CreateAsync(this HttpClient planner, string warehouse, string? assignee = "alice", string type = TaskTypes.Pick, int quantity = 5) =>
        await (await planner.PostAsJsonAsync("/api/tasks", new TaskDraft(warehouse, type, "SKU-1", quantity, "A-01", type is TaskTypes.Putaway or TaskTypes.Move ? "B-01" : null, assignee)))
            .ReadAsync<TaskItem>(HttpStatusCode.Created);

    public static Task<HttpResponseMessage> ScanAsync(this HttpClient operatorClient, Guid scanId, Guid taskId, int quantity, string sku = "SKU-1", string location = "A-01") =>
        operatorClient.PostAsJsonAsync("/api/scan", new ScanRequest(scanId, taskId, sku, location, quantity));

    public static Task<HttpResponseMessage> TransitionAsync(this HttpClient client, Guid id, string action, int version, string? assignee = null) =>
        client.PostAsJsonAsync($"/api/tasks/{id}/{action}", new TransitionRequest(version, assignee));
}

/// <summary>
/// One test's own two warehouses, and a planner and an operator whose tokens cover both (and nothing else), so
/// tests stay independent and every call runs under warehouse isolation as a real user's would.
/// </summary>
public sealed class WarehouseStaff(TaskServiceFixture fixture)
{
    public string Warehouse { get; } = TaskApiClient.NewWarehouse();

    public string Other { get; } = TaskApiClient.NewWarehouse();

    public HttpClient Planner => field ??= fixture.Client(Roles.Planner, Warehouse, Other);

    public HttpClient Operator => field ??= fixture.Client(Roles.Operator, Warehouse, Other);
}
