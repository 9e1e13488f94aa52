using System.Diagnostics;
using Warehouse.ImportService.Infrastructure;
using Warehouse.ImportService.Model;

namespace Warehouse.ImportService.Importing;

/// <summary>
/// Runs queued imports one at a time (a COPY already saturates the database's write path). On start it fails the
/// jobs a restart interrupted, then re-queues the ones still waiting, so no job stays "running" forever.
/// </summary>
public sealed class ImportWorker(
    ImportQueue queue,
    ImportJobStore store,
    ImportProcessor processor,
    ImportNotifier notifier,
    UploadSpool spool,
    ImportMetrics metrics,
    ILogger<ImportWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RecoverAsync(stoppingToken);
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
        if (!await store.TryStartAsync(job.JobId, stoppingToken))
        {
            spool.Delete(job.JobId);
            return;
        }

        metrics.Started();
        var stopwatch = Stopwatch.StartNew();
        using var cancellation = queue.Track(job.JobId, stoppingToken);
        ImportResult result;
        try
        {
            result = await processor.RunAsync(job, spool.PathFor(job.JobId), cancellation.Token);
            await store.FinishAsync(job.JobId, result, stoppingToken);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // Cancelled by request: the API already marked the job cancelled; the transaction rolled back.
            result = new ImportResult(ImportStatuses.Cancelled, 0, 0, 0, null, []);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Import {JobId} failed", job.JobId);
            result = new ImportResult(ImportStatuses.Failed, 0, 0, 0, $"The import failed unexpectedly ({ex.GetType().Name}); nothing was imported.", []);
            await store.FinishAsync(job.JobId, result, CancellationToken.None);
        }
        finally
        {
            queue.Untrack(job.JobId);
        }

        metrics.Finished(result.Status, result.ImportedRows, result.RejectedRows, stopwatch.Elapsed);
        spool.Delete(job.JobId);
        await notifier.ProgressAsync(job, result.Status, result.TotalRows, result.ImportedRows, result.RejectedRows);
        logger.LogInformation("Import {JobId} {Status}: {Imported} imported, {Rejected} rejected in {Elapsed}",
            job.JobId, result.Status, result.ImportedRows, result.RejectedRows, stopwatch.Elapsed);
    }
}
