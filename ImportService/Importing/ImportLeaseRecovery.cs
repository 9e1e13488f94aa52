using Microsoft.Extensions.Options;
using Npgsql;
using Warehouse.Data;
using Warehouse.ImportService.Infrastructure;
using Warehouse.ImportService.Model;

namespace Warehouse.ImportService.Importing;

/// <summary>
/// Every <see cref="ImportOptions.PollInterval"/>, takes back the jobs whose copy stopped renewing their lease (it died,
/// hung, or lost the database): queued again, or failed with the reason once their attempts are spent
/// (<see cref="ImportJobStore.RecoverExpiredAsync"/>). Apart from the worker, so a copy busy with a long import still
/// recovers a dead copy's job within a lease and a poll: the job shows queued, first in line, instead of a stale running.
/// </summary>
public sealed class ImportLeaseRecovery(
    ImportJobStore store,
    ImportMetrics metrics,
    IOptions<ImportOptions> options,
    NpgsqlDataSource database,
    ILogger<ImportLeaseRecovery> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        do
        {
            await PostgresOutage.WaitOutAsync(database, RecoverAsync, logger, "recovering expired import leases", stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RecoverAsync(CancellationToken ct)
    {
        var maxAttempts = options.Value.MaxAttempts;
        foreach (var (id, status) in await store.RecoverExpiredAsync(maxAttempts, ct))
        {
            if (status == ImportStatuses.Failed)
            {
                // Counted here, by the copy that ended it: the one that ran it is gone, and its counters with it.
                metrics.EndedWithoutRunning(status);
                logger.LogWarning("Import {JobId} failed: the copy running it stopped renewing its lease, and it has been tried {Attempts} time(s)", id, maxAttempts);
            }
            else
            {
                logger.LogWarning("Import {JobId} is queued again: the copy running it stopped renewing its lease", id);
            }
        }
    }
}
