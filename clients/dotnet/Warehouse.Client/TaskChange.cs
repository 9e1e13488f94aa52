using Warehouse.Contracts.Tasks;

namespace Warehouse.Client;

/// <summary>One task created, updated or completed, applied at <paramref name="Sequence"/>.</summary>
public sealed record TaskChange(string Type, TaskItem Task, long Sequence);

/// <summary>Why the view reloaded the warehouse over REST.</summary>
public enum ResyncReason
{
    /// <summary>A notification's sequence skipped one or more: something was missed (a Redis outage, a dropped message).</summary>
    Gap,

    /// <summary>The connection came back: anything sent while it was down is lost.</summary>
    Reconnected,

    /// <summary>An import added many tasks at one sequence: the notification names the job, not the tasks.</summary>
    Imported,

    /// <summary>The application asked (<see cref="WarehouseTaskView.ResyncAsync"/>).</summary>
    Requested,
}
