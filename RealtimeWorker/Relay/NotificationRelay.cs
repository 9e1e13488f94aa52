using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Warehouse.Contracts.Notifications;
using Warehouse.RealtimeWorker.Hubs;
using Warehouse.Messaging;

namespace Warehouse.RealtimeWorker.Relay;

/// <summary>
/// Subscribes to the notification channel and fans each message out to its warehouse's SignalR group, and import
/// progress to the planners whose token covers the job.
/// </summary>
public sealed class NotificationRelay(
    IMessageBus bus, IHubContext<TasksHub> hub, ImportAudience importAudience, RealtimeMetrics metrics, TimeProvider time, ILogger<NotificationRelay> logger)
    : BackgroundService
{
    public const string ClientMethod = "notification";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Redis may be down when the worker starts; once subscribed, the client re-subscribes after reconnects.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await bus.SubscribeAsync(Notification.Channel, RelayAsync);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever failed (a timeout may surface as a cancellation), only stopping ends the worker: an escaping
                // exception would stop the whole service (the host's default for a failed BackgroundService). An
                // outage is news; its stack trace, once a second, is not.
                logger.LogWarning("Could not subscribe to {Channel} ({Reason}); retrying", Notification.Channel, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    public async Task RelayAsync(string message)
    {
        Notification notification;
        IClientProxy recipients;
        try
        {
            notification = Notification.FromJson(message) ?? throw new JsonException("The notification is JSON null.");
            recipients = Recipients(notification);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a message without "data" whose type needs it to choose the recipients.
            metrics.Failed(RealtimeMetrics.MalformedFailure);
            logger.LogWarning(ex, "Dropped a malformed notification");
            return;
        }

        try
        {
            // Stamped as the group send begins: the send writes to each recipient in turn, so a client's lag behind
            // SentAt is this process's spread over the group plus the network and the client.
            await recipients.SendAsync(ClientMethod, notification with { SentAt = time.GetUtcNow() });
            metrics.Processed(notification.Type);
        }
        catch (Exception ex)
        {
            metrics.Failed(RealtimeMetrics.SendFailure);
            logger.LogError(ex, "Could not relay {Type} #{Sequence} of {Warehouse}", notification.Type, notification.Sequence, notification.WarehouseId);
        }
    }

    /// <summary>
    /// A warehouse's group, or for import progress the planners covering the job; progress that does not say whose job
    /// it is goes to admins only, never wider than the job.
    /// </summary>
    private IClientProxy Recipients(Notification notification) => notification.Type == NotificationTypes.ImportProgress
        ? hub.Clients.Clients(importAudience.Covering(notification.Data.Deserialize<ImportProgress>(JsonSerializerOptions.Web)?.Warehouses))
        : hub.Clients.Group(TasksHub.WarehouseGroup(notification.WarehouseId));
}
