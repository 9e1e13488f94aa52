namespace Warehouse.Client;

/// <summary>A task as the task service returns it (<c>GET /api/tasks</c>) and as notifications carry it.</summary>
public sealed record WarehouseTask(
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
