namespace Warehouse.Contracts.Notifications;

/// <summary>
/// The data of an <see cref="NotificationTypes.ImportProgress"/> notification. <see cref="Warehouses"/> is the scope
/// stored with the job (null: an admin's "all"): the hub relays the progress only to planners and admins whose token
/// covers it, the same rule that lets them read the job over REST, so counts never reach another warehouse's staff.
/// </summary>
public sealed record ImportProgress(
    Guid JobId, string Status, long ProcessedRows, long ImportedRows, long RejectedRows, IReadOnlyList<string>? Warehouses);
