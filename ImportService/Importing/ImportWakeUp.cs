namespace Warehouse.ImportService.Importing;

/// <summary>
/// Wakes this copy's worker when this copy queues a job, so a job starts at once where it was uploaded if that copy is
/// idle. Jobs queued by other copies are found by polling (<see cref="ImportOptions.PollInterval"/>): an indexed query
/// per second per idle copy costs nothing, needs no connection of its own and survives a database restart without
/// reconnection logic, which LISTEN/NOTIFY would need, and a job a notification missed (sent while a copy was
/// reconnecting) is still found.
/// </summary>
public sealed class ImportWakeUp
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Signal()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the worker looks for every queued job when it wakes.
        }
    }

    /// <summary>Returns when signalled or after <paramref name="timeout"/>, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
