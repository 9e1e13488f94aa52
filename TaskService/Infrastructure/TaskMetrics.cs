using System.Diagnostics.Metrics;
using Warehouse.Contracts.Tasks;

namespace Warehouse.TaskService.Infrastructure;

/// <summary>The task service's own instruments (meter <c>Warehouse.Tasks</c>); names are in monitoring/README.md.</summary>
public sealed class TaskMetrics
{
    public const string MeterName = "Warehouse.Tasks";
    public const string ScanAccepted = "accepted";
    public const string ScanDuplicate = "duplicate";
    public const string ScanRejected = "rejected";

    private readonly Counter<long> _scans;
    private readonly Counter<long> _transitions;

    public TaskMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _scans = meter.CreateCounter<long>("warehouse.scans", "{scan}", "Barcode scans by outcome");
        _transitions = meter.CreateCounter<long>("warehouse.task.transitions", "{transition}", "Task status changes by target status");
        _scans.StartAtZero("outcome", [ScanAccepted, ScanDuplicate, ScanRejected]);
        _transitions.StartAtZero("status", TaskStatuses.All);
    }

    public void Scan(string outcome) => _scans.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Transition(string status) => _transitions.Add(1, new KeyValuePair<string, object?>("status", status));
}
