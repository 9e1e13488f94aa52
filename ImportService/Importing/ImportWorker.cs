using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;
using Warehouse.Data;
using Warehouse.ImportService.Infrastructure;
using Warehouse.ImportService.Model;

namespace Warehouse.ImportService.Importing;

/// <summary>
/// Runs imports one at a time per copy (a COPY already saturates the database's write path), claiming the oldest queued
/// job from Postgres, so any copy runs any job whichever copy received it; <see cref="ImportLeaseRecovery"/> takes back
/// the jobs of copies that stopped renewing their lease, so no job stays "running".
/// Its own bookkeeping waits out a database outage (<see cref="PostgresOutage.WaitOutAsync"/>) instead of letting the
/// exception end the worker, and with it the whole service (the host's default for a failed BackgroundService): a job
/// the outage interrupted is recorded as failed, with its reason, once the database is back.
/// </summary>
public sealed class ImportWorker(
    ImportJobStore store,
    ImportProcessor processor,
    ImportNotifier notifier,
    ImportMetrics metrics,
    ImportWakeUp wakeUp,
    ImportCopy copy,
    IOptions<ImportOptions> options,
    NpgsqlDataSource database,
    ILogger<ImportWorker> logger) : BackgroundService
{
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(5);

    private readonly ImportOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var job = await PostgresOutage.WaitOutAsync(database, ct => store.ClaimAsync(copy.Id, _options.LeaseDuration, ct), logger, "looking for queued imports", stoppingToken);
            if (job is null)
            {
                await wakeUp.WaitAsync(_options.PollInterval, stoppingToken);
            }
            else
            {
                await ProcessAsync(ClaimedImport.For(job), stoppingToken);
            }
        }
    }

    private async Task ProcessAsync(ClaimedImport job, CancellationToken stoppingToken)
    {
        metrics.Started();
        var stopwatch = Stopwatch.StartNew();
        ImportResult? result;
        await using (var lease = new ImportLease(store, job.JobId, copy.Id, _options, logger, stoppingToken))
        {
            result = await RunAsync(job, lease);
        }

        if (result is null && stoppingToken.IsCancellationRequested)
        {
            await ReleaseAsync(job);
            return;
        }

        // A success is recorded with its rows; anything else is recorded here, if the job is still this copy's.
        if (result is not null && result.Status != ImportStatuses.Succeeded
            && !await PostgresOutage.WaitOutAsync(database, ct => store.FinishAsync(job.JobId, copy.Id, result, ct), logger, $"recording the end of import {job.JobId}", stoppingToken))
        {
            result = null;
        }

        if (result is null)
        {
            // The job stopped being this copy's while it ran: cancelled (from any copy), or taken back by another copy.
            var status = await PostgresOutage.WaitOutAsync(database, ct => store.GetStatusAsync(job.JobId, ct), logger, $"reading import {job.JobId}", stoppingToken);
            if (status != ImportStatuses.Cancelled)
            {
                metrics.Released();
                logger.LogWarning("Import {JobId} was taken back by another copy (its lease here expired); this copy's run rolled back", job.JobId);
                return;
            }

            result = new ImportResult(ImportStatuses.Cancelled, 0, 0, 0, null, []);
        }

        metrics.Finished(result.Status, result.ImportedRows, result.RejectedRows, stopwatch.Elapsed);
        await notifier.ProgressAsync(job, result.Status, result.TotalRows, result.ImportedRows, result.RejectedRows);
        logger.LogInformation("Import {JobId} {Status}: {Imported} imported, {Rejected} rejected in {Elapsed}",
            job.JobId, result.Status, result.ImportedRows, result.RejectedRows, stopwatch.Elapsed);
    }

    /// <summary>
    /// The job's outcome; whatever went wrong, it is a result to record, not an exception for the worker. Null when the
    /// lease ended the run (a cancel, the lease taken back, the service stopping): the COPY rolled back.
    /// </summary>
    private async Task<ImportResult?> RunAsync(ClaimedImport job, ImportLease lease)
    {
        try
        {
            return await processor.RunAsync(job, lease);
        }
        catch (Exception) when (lease.Token.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Import {JobId} failed", job.JobId);
            return new ImportResult(ImportStatuses.Failed, 0, 0, 0, $"The import failed unexpectedly ({ex.GetType().Name}); nothing was imported.", []);
        }
    }

    /// <summary>
    /// This copy is stopping (a deploy, a scale down): the job goes back to the queue for another copy to start at once.
    /// If even that fails, its lease expires and another copy takes it back then.
    /// </summary>
    private async Task ReleaseAsync(ClaimedImport job)
    {
        metrics.Released();
        using var timeout = new CancellationTokenSource(ReleaseTimeout);
        try
        {
            await store.ReleaseAsync(job.JobId, copy.Id, timeout.Token);
            logger.LogInformation("Import {JobId} is queued again: this copy is stopping", job.JobId);
        }
        catch (Exception ex) when (PostgresOutage.Is(ex) || timeout.IsCancellationRequested)
        {
            logger.LogWarning("Import {JobId} could not be queued again as this copy stops ({Reason}); another copy takes it once its lease expires", job.JobId, ex.Message);
        }
    }
}
