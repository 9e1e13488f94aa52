using Warehouse.Contracts.Notifications;
using Warehouse.Messaging;

namespace Warehouse.ImportService.Importing;

/// <summary>
/// Progress for the planners whose token covers the job's warehouses and one "tasks imported" notice per affected
/// warehouse; Redis being down never fails an import.
/// </summary>
public sealed class ImportNotifier(IMessageBus bus, ILogger<ImportNotifier> logger)
{
    public Task ProgressAsync(ClaimedImport job, string status, long processedRows, long importedRows, long rejectedRows) =>
        PublishAsync(Notification.Create(NotificationTypes.ImportProgress, string.Empty, 0,
            new ImportProgress(job.JobId, status, processedRows, importedRows, rejectedRows, job.Scope.Warehouses)));

    public Task TasksImportedAsync(Guid jobId, string warehouseId, long sequence, long count) =>
        PublishAsync(Notification.Create(NotificationTypes.TasksImported, warehouseId, sequence, new { jobId, count }));

    private async Task PublishAsync(Notification notification)
    {
        try
        {
            await bus.PublishAsync(Notification.Channel, notification.ToJson());
        }
        catch (MessageBusUnavailableException ex)
        {
            logger.LogWarning(ex, "Import notification {Type} was not published", notification.Type);
        }
    }
}
