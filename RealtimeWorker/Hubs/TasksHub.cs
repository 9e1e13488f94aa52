using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Warehouse.ServiceDefaults.Security;

namespace Warehouse.RealtimeWorker.Hubs;

/// <summary>
/// Handhelds and web clients receive "notification" messages for the warehouses they join. A client whose token
/// names a warehouse joins it on connect and may join no other; planners and admins may join any, and get import progress.
/// </summary>
[Authorize]
public sealed class TasksHub : Hub
{
    public const string Path = "/hubs/tasks";
    public const string ImportsGroup = "imports";

    public static string WarehouseGroup(string warehouseId) => $"warehouse:{warehouseId}";

    public override async Task OnConnectedAsync()
    {
        if (Context.User?.FindFirst("warehouse")?.Value is { Length: > 0 } warehouse)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, WarehouseGroup(warehouse));
        }

        if (IsPlanner)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, ImportsGroup);
        }

        await base.OnConnectedAsync();
    }

    public async Task JoinWarehouse(string warehouseId)
    {
        var own = Context.User?.FindFirst("warehouse")?.Value;
        if (string.IsNullOrWhiteSpace(warehouseId) || warehouseId.Length > 32)
        {
            throw new HubException("warehouseId must be 1 to 32 characters.");
        }

        if (own is not null && own != warehouseId && !IsPlanner)
        {
            throw new HubException($"Your token is for warehouse {own}.");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, WarehouseGroup(warehouseId));
    }

    public Task LeaveWarehouse(string warehouseId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, WarehouseGroup(warehouseId));

    private bool IsPlanner => Context.User?.IsInRole(Roles.Planner) == true || Context.User?.IsInRole(Roles.Admin) == true;
}
