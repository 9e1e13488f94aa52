using Warehouse.Contracts.Tasks;
using Warehouse.Security;

namespace Warehouse.TaskService.Model;

public sealed record TaskPage(IReadOnlyList<TaskItem> Items, int Page, int PageSize, long Total, long? Sequence);

/// <summary>A page of tasks, filtered, and always limited to the caller's warehouses.</summary>
public sealed record TaskQuery(string? WarehouseId, string? Status, string? Assignee, int Page, int PageSize, WarehouseScope Scope);
