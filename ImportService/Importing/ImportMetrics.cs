using System.Diagnostics.Metrics;
using Warehouse.ImportService.Model;

namespace Warehouse.ImportService.Importing;

/// <summary>The import service's own instruments (meter <c>Warehouse.Imports</c>); names are in monitoring/README.md.</summary>
public sealed class ImportMetrics
{
    public const string MeterName = "Warehouse.Imports";
    private const string Imported = "imported";
    private const string Rejected = "rejected";

    private readonly Counter<long> _jobs;
    private readonly Counter<long> _rows;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _running;

    public ImportMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _jobs = meter.CreateCounter<long>("warehouse.import.jobs", "{job}", "Import jobs by final status");
        _rows = meter.CreateCounter<long>("warehouse.import.rows", "{row}", "CSV rows by outcome");
        _duration = meter.CreateHistogram("warehouse.import.job.duration", "s", "Time from a job's start to its end",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600] });
        _running = meter.CreateUpDownCounter<long>("warehouse.import.jobs.running", "{job}", "Import jobs running now");
        _jobs.StartAtZero("status", [ImportStatuses.Succeeded, ImportStatuses.Failed, ImportStatuses.Cancelled]);
        _rows.StartAtZero("outcome", [Imported, Rejected]);
        _running.Add(0);
    }

    public void Started() => _running.Add(1);

    public void Finished(string status, long imported, long rejected, TimeSpan duration)
    {
        _running.Add(-1);
        _jobs.Add(1, new KeyValuePair<string, object?>("status", status));
        _rows.Add(imported, new KeyValuePair<string, object?>("outcome", Imported));
        _rows.Add(rejected, new KeyValuePair<string, object?>("outcome", Rejected));
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("status", status));
    }

    /// <summary>
    /// A run that ended with no outcome of this copy's: the job went back to the queue (this copy is stopping) or to
    /// another copy (this copy's lease expired). Whoever ends the job counts it, so summed over copies each job counts once.
    /// </summary>
    public void Released() => _running.Add(-1);

    /// <summary>A job that ended without running here (cancelled while queued, failed once its lease expired) still counts by its final status.</summary>
    public void EndedWithoutRunning(string status) => _jobs.Add(1, new KeyValuePair<string, object?>("status", status));
}
