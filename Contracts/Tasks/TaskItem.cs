namespace Warehouse.Contracts.Tasks;

/// <summary>A task as the task service returns it and as its notifications carry it (the realtime clients read it too).</summary>
public sealed record TaskItem(
    Guid Id,
    string WarehouseId,
    string Type,
    string Sku,
    int Quantity,
    int QuantityDone,
    string FromLocation,
    string? ToLocation,
    string Status,
    string? Assignee,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
