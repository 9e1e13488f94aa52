using System.Text.Json;

namespace Warehouse.Contracts.Notifications;

/// <summary>
/// A change notification on Redis pub/sub, fanned out to SignalR clients of <see cref="WarehouseId"/>.
/// <see cref="Sequence"/> increases by one per warehouse change (it is committed with the change in Postgres),
/// so a client that sees a jump knows it missed something and resynchronises over REST.
/// </summary>
public sealed record Notification(string Type, string WarehouseId, long Sequence, JsonElement Data)
{
    public const string Channel = "warehouse:notifications";

    public string ToJson() => JsonSerializer.Serialize(this, JsonSerializerOptions.Web);

    public static Notification? FromJson(string json) => JsonSerializer.Deserialize<Notification>(json, JsonSerializerOptions.Web);

    public static Notification Create<T>(string type, string warehouseId, long sequence, T data) =>
        new(type, warehouseId, sequence, JsonSerializer.SerializeToElement(data, JsonSerializerOptions.Web));
}

public static class NotificationTypes
{
    public const string TaskCreated = "task_created";
    public const string TaskUpdated = "task_updated";
    public const string TaskCompleted = "task_completed";
    public const string TasksImported = "tasks_imported";
    public const string ImportProgress = "import_progress";
}
