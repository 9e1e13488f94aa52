namespace Warehouse.TaskService.Model;

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

public sealed record TaskPage(IReadOnlyList<TaskItem> Items, int Page, int PageSize, long Total, long? Sequence);

public sealed record TaskQuery(string? WarehouseId, string? Status, string? Assignee, int Page, int PageSize);
