namespace Warehouse.Contracts.Tasks;

/// <summary>A task as a client or a CSV row proposes it, before validation.</summary>
public sealed record TaskDraft(
    string? WarehouseId,
    string? Type,
    string? Sku,
    int? Quantity,
    string? FromLocation,
    string? ToLocation,
    string? Assignee);
