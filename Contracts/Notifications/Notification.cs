using System.Text.Json;
using System.Text.Json.Serialization;

namespace Warehouse.Contracts.Notifications;

/// <summary>
/// A change notification on Redis pub/sub, fanned out to SignalR clients of <see cref="WarehouseId"/>.
/// <see cref="Sequence"/> increases by one per warehouse change (it is committed with the change in Postgres),
/// so a client that sees a jump knows it missed something and resynchronises over REST.
/// <see cref="PublishedAt"/> and <see cref="SentAt"/> time the change's way to the client: a client that compares them
/// with its own clock splits a late delivery into the platform's part and the network's.
/// </summary>
public sealed record Notification(string Type, string WarehouseId, long Sequence, JsonElement Data)
{
    public const string Channel = "warehouse:notifications";

    /// <summary>When the publisher put the committed change on the bus; absent from publishers that do not say.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? PublishedAt { get; init; }

    /// <summary>When the realtime worker began sending it to its recipients.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? SentAt { get; init; }

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
