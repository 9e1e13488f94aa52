using Warehouse.ImportService.Model;
using Warehouse.Security;
using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Warehouse.ImportService.Importing;

/// <summary>Jobs waiting for the worker, and a cancellation handle for the one that is running.</summary>
public sealed class ImportQueue
{
    private readonly Channel<QueuedImport> _channel = Channel.CreateUnbounded<QueuedImport>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();

    public ValueTask EnqueueAsync(QueuedImport job) => _channel.Writer.WriteAsync(job);

    public IAsyncEnumerable<QueuedImport> ReadAllAsync(CancellationToken ct) => _channel.Reader.ReadAllAsync(ct);

    public CancellationTokenSource Track(Guid jobId, CancellationToken stopping)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _running[jobId] = source;
        return source;
    }

    public void Untrack(Guid jobId)
    {
        if (_running.TryRemove(jobId, out var source))
        {
            source.Dispose();
        }
    }

    /// <summary>Stops a running job; its transaction rolls back.</summary>
    public void Cancel(Guid jobId)
    {
        if (_running.TryGetValue(jobId, out var source))
        {
            source.Cancel();
        }
    }
}

/// <summary>A job to run, with the uploader's warehouses: rows of any other warehouse are rejected.</summary>
public sealed record QueuedImport(Guid JobId, bool SkipInvalidRows, WarehouseScope Scope)
{
    public static QueuedImport For(ImportJob job) => new(job.Id, job.SkipInvalidRows, WarehouseScope.Only(job.Warehouses));
}
