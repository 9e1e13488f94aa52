using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Warehouse.Contracts.Tasks;
using Warehouse.RealtimeWorker.Memory;
using Warehouse.Security;

namespace Warehouse.RealtimeWorker.Hubs;

/// <summary>
/// Handhelds and web clients receive "notification" messages for the warehouses they join. A client joins every
/// warehouse its token names on connect and may join no other; an admin joins none on connect and may join any;
/// a token that names no warehouse (and is not an admin's) may join none. Planners and admins get the progress of the
/// imports their token covers (<see cref="ImportAudience"/>).
/// </summary>
[Authorize]
public sealed class TasksHub(ConnectionGauge connections, ImportAudience importAudience) : Hub
{
    public const string Path = "/hubs/tasks";

    public static string WarehouseGroup(string warehouseId) => $"warehouse:{warehouseId}";

    public override async Task OnConnectedAsync()
    {
        if (Scope.Warehouses is { } warehouses)
        {
            foreach (var warehouse in warehouses)
            {
                await Groups.AddToGroupAsync(Context.ConnectionId, WarehouseGroup(warehouse));
            }
        }

        if (IsPlanner)
        {
            importAudience.Add(Context.ConnectionId, Scope);
        }

        await base.OnConnectedAsync();

        // Counted once connected: SignalR calls OnDisconnectedAsync only for a connection whose OnConnectedAsync completed.
        connections.Connected();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        importAudience.Remove(Context.ConnectionId);
        connections.Disconnected();
        return base.OnDisconnectedAsync(exception);
    }

    public async Task JoinWarehouse(string warehouseId)
    {
        if (string.IsNullOrWhiteSpace(warehouseId) || warehouseId.Length > TaskRules.MaxWarehouseIdLength)
        {
            throw new HubException($"warehouseId must be 1 to {TaskRules.MaxWarehouseIdLength} characters.");
        }

        if (!Scope.Allows(warehouseId))
        {
            throw new HubException(WarehouseScope.NotCovered(warehouseId));
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, WarehouseGroup(warehouseId));
    }

    public Task LeaveWarehouse(string warehouseId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, WarehouseGroup(warehouseId));

    private WarehouseScope Scope => WarehouseScope.Of(Context.User!);

    private bool IsPlanner => Context.User?.IsInRole(Roles.Planner) == true || Context.User?.IsInRole(Roles.Admin) == true;
}
