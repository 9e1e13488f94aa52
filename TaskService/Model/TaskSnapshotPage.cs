using Warehouse.Contracts.Tasks;

namespace Warehouse.TaskService.Model;

/// <summary>
/// One page of a warehouse's view, read in one database snapshot together with the warehouse's notification
/// sequence: the items are exactly the state at <paramref name="Sequence"/>. <paramref name="Next"/> is the cursor of
/// the next page (pass it as <c>after</c>), null on the last.
/// </summary>
public sealed record TaskSnapshotPage(IReadOnlyList<TaskItem> Items, long Sequence, Guid? Next);

/// <summary>Open tasks (open, assigned, in progress), or with <paramref name="Completed"/> the done and cancelled ones, after <paramref name="After"/> in id order.</summary>
public sealed record TaskSnapshotQuery(string WarehouseId, bool Completed, Guid? After, int Limit);
