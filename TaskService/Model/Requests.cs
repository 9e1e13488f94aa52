using Warehouse.Contracts.Tasks;
using Warehouse.Security;

namespace Warehouse.TaskService.Model;

public sealed record TransitionRequest(int? Version, string? Assignee);

public sealed record ScanRequest(Guid? ScanId, Guid? TaskId, string? Sku, string? Location, int? Quantity);

public sealed record ScanResponse(Guid ScanId, bool Duplicate, TaskItem Task);

/// <summary>A validated scan, with the warehouses its sender may scan in.</summary>
public sealed record ScanCommand(Guid ScanId, Guid TaskId, string Sku, string Location, int Quantity, WarehouseScope Scope);
