using System.Diagnostics;
using Npgsql;
using Warehouse.Data;
using Warehouse.ImportService.Infrastructure;
using Warehouse.ImportService.Model;

namespace Warehouse.ImportService.Importing;

/// <summary>
/// Runs queued imports one at a time (a COPY already saturates the database's write path). On start it fails the
/// jobs a restart interrupted, then re-queues the ones still waiting, so no job stays "running" forever.
/// Its own bookkeeping waits out a database outage (<see cref="PostgresOutage.WaitOutAsync"/>) instead of letting the
/// exception end the worker, and with it the whole service (the host's default for a failed BackgroundService): a job
/// the outage interrupted is recorded as failed, with its reason, once the database is back.
/// </summary>
public sealed class ImportWorker(
    ImportQueue queue,
    ImportJobStore store,
    ImportProcessor processor,
    ImportNotifier notifier,
    UploadSpool spool,
    ImportMetrics metrics,
    NpgsqlDataSource database,
    ILogger<ImportWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await PostgresOutage.WaitOutAsync(database, RecoverAsync, logger, "recovering interrupted imports", stoppingToken);
        await foreach (var job in queue.ReadAllAsync(stoppingToken))
        {
            await ProcessAsync(job, stoppingToken);
        }
    }

    private async Task RecoverAsync(CancellationToken ct)
    {
        var interrupted = await store.FailInterruptedAsync(ct);
        if (interrupted > 0)
        {
            logger.LogWarning("Failed {Count} import job(s) interrupted by a restart", interrupted);
        }

        foreach (var job in await store.ListUnfinishedAsync(ct))
        {
            if (File.Exists(spool.PathFor(job.Id)))
            {
                await queue.EnqueueAsync(QueuedImport.For(job));
            }
            else
            {
                await store.FinishAsync(job.Id, new ImportResult(ImportStatuses.Failed, 0, 0, 0, "The uploaded file was lost before the import started. Upload it again.", []), ct);
            }
        }
    }

    private async Task ProcessAsync(QueuedImport job, CancellationToken stoppingToken)
    {
        if (!await PostgresOutage.WaitOutAsync(database, ct => store.TryStartAsync(job.JobId, ct), logger, $"starting import {job.JobId}", stoppingToken))
        {
            spool.Delete(job.JobId);
            return;
        }

        metrics.Started();
        var stopwatch = Stopwatch.StartNew();
        var result = await RunAsync(job, stoppingToken);
        if (result.Status != ImportStatuses.Cancelled)
        {
            await PostgresOutage.WaitOutAsync(database, ct => store.FinishAsync(job.JobId, result, ct), logger, $"recording the end of import {job.JobId}", stoppingToken);
        }

        metrics.Finished(result.Status, result.ImportedRows, result.RejectedRows, stopwatch.Elapsed);
        spool.Delete(job.JobId);
        await notifier.ProgressAsync(job, result.Status, result.TotalRows, result.ImportedRows, result.RejectedRows);
        logger.LogInformation("Import {JobId} {Status}: {Imported} imported, {Rejected} rejected in {Elapsed}",
            job.JobId, result.Status, result.ImportedRows, result.RejectedRows, stopwatch.Elapsed);
    }

    /// <summary>The job's outcome; whatever went wrong, it is a result to record, not an exception for the worker.</summary>
    private async Task<ImportResult> RunAsync(QueuedImport job, CancellationToken stoppingToken)
    {
        using var cancellation = queue.Track(job.JobId, stoppingToken);
        try
        {
            return await processor.RunAsync(job, spool.PathFor(job.JobId), cancellation.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // Cancelled by request: the API already marked the job cancelled; the transaction rolled back.
            return new ImportResult(ImportStatuses.Cancelled, 0, 0, 0, null, []);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Import {JobId} failed", job.JobId);
            return new ImportResult(ImportStatuses.Failed, 0, 0, 0, $"The import failed unexpectedly ({ex.GetType().Name}); nothing was imported.", []);
        }
        finally
        {
            queue.Untrack(job.JobId);
        }
    }
}
