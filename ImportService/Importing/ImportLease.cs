using System.Diagnostics.CodeAnalysis;
using Warehouse.Data;
using Warehouse.ImportService.Infrastructure;

namespace Warehouse.ImportService.Importing;

/// <summary>
/// This copy's claim on the job it runs, renewed every <see cref="ImportOptions.RenewInterval"/> while the run lasts.
/// <see cref="Token"/> ends the run when the service stops or the job stops being this copy's (a cancel from any copy,
/// or the lease taken back after renewals failed for a whole lease): its COPY then rolls back.
/// </summary>
public sealed class ImportLease : IAsyncDisposable
{
    private readonly CancellationTokenSource _run;
    private readonly Task _renewals;

    public ImportLease(ImportJobStore store, Guid jobId, string owner, ImportOptions options, ILogger logger, CancellationToken stopping)
    {
        JobId = jobId;
        Owner = owner;
        _run = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _renewals = RenewAsync(store, options, logger);
    }

    public Guid JobId { get; }

    public string Owner { get; }

    public CancellationToken Token => _run.Token;

    /// <summary>The run found the job is no longer this copy's: it stops as if cancelled.</summary>
    [DoesNotReturn]
    public void Lost()
    {
        _run.Cancel();
        throw new OperationCanceledException($"Import {JobId} is no longer this copy's.", _run.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _run.CancelAsync();
        await _renewals;
        _run.Dispose();
    }

    private async Task RenewAsync(ImportJobStore store, ImportOptions options, ILogger logger)
    {
        using var timer = new PeriodicTimer(options.RenewInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_run.Token))
            {
                try
                {
                    if (!await store.RenewAsync(JobId, Owner, options.LeaseDuration, _run.Token))
                    {
                        logger.LogInformation("Import {JobId} is no longer this copy's (cancelled, or taken back); stopping its run", JobId);
                        await _run.CancelAsync();
                    }
                }
                catch (Exception ex) when (PostgresOutage.Is(ex))
                {
                    // The next tick tries again; the lease lasts three renewals, so one outage of less than that keeps it.
                    logger.LogWarning("Could not renew the lease on import {JobId} ({Reason})", JobId, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (_run.IsCancellationRequested)
        {
            // The run ended.
        }
    }
}
