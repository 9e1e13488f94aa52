using Warehouse.Contracts.Notifications;
using Warehouse.Contracts.Tasks;
using Warehouse.Messaging;
using Warehouse.TaskService.Model;

namespace Warehouse.TaskService.Infrastructure;

/// <summary>
/// Publishes a committed change. Postgres stays the source of truth: when Redis is down the change stands,
/// the notification is lost, and clients notice the sequence gap on the next one and resynchronise.
/// </summary>
public sealed class TaskNotifier(IMessageBus bus, TimeProvider time, ILogger<TaskNotifier> logger)
{
    public async Task PublishAsync(string type, TaskItem task, long sequence)
    {
        if (type == NotificationTypes.TaskUpdated && task.Status == TaskStatuses.Done)
        {
            type = NotificationTypes.TaskCompleted;
        }

        try
        {
            var notification = Notification.Create(type, task.WarehouseId, sequence, task) with { PublishedAt = time.GetUtcNow() };
            await bus.PublishAsync(Notification.Channel, notification.ToJson());
        }
        catch (MessageBusUnavailableException ex)
        {
            logger.LogWarning(ex, "Notification {Sequence} for warehouse {WarehouseId} was not published", sequence, task.WarehouseId);
        }
    }
}
