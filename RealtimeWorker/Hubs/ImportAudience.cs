using System.Collections.Concurrent;
using Warehouse.Security;

namespace Warehouse.RealtimeWorker.Hubs;

/// <summary>
/// The planners and admins connected to this worker, with their warehouses. Import progress goes to those whose scope
/// covers the job's, as <c>GET /api/imports/{id}</c> does: a per-warehouse group would also reach a planner of only one
/// of a multi-warehouse job's warehouses, who may not read that job.
/// </summary>
public sealed class ImportAudience
{
    private readonly ConcurrentDictionary<string, WarehouseScope> _planners = new();

    public void Add(string connectionId, WarehouseScope scope) => _planners[connectionId] = scope;

    public void Remove(string connectionId) => _planners.TryRemove(connectionId, out _);

    /// <summary>The connections that may read a job stored with <paramref name="jobWarehouses"/> (null: all warehouses).</summary>
    public IReadOnlyList<string> Covering(IReadOnlyList<string>? jobWarehouses)
    {
        var job = WarehouseScope.Only(jobWarehouses);
        return [.. _planners.Where(planner => planner.Value.Covers(job)).Select(planner => planner.Key)];
    }
}
