using Microsoft.AspNetCore.SignalR;
using Warehouse.Contracts.Notifications;
using Warehouse.RealtimeWorker.Hubs;
using Warehouse.Messaging;

namespace Warehouse.RealtimeWorker.Relay;

/// <summary>Subscribes to the notification channel and fans each message out to its warehouse's SignalR group.</summary>
public sealed class NotificationRelay(IMessageBus bus, IHubContext<TasksHub> hub, RealtimeMetrics metrics, ILogger<NotificationRelay> logger)
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
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not subscribe to {Channel}; retrying", Notification.Channel);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    public async Task RelayAsync(string message)
    {
        Notification? notification;
        try
        {
            notification = Notification.FromJson(message);
        }
        catch (System.Text.Json.JsonException ex)
        {
            metrics.Failed(RealtimeMetrics.MalformedFailure);
            logger.LogWarning(ex, "Dropped a malformed notification");
            return;
        }

        if (notification is null)
        {
            metrics.Failed(RealtimeMetrics.MalformedFailure);
            return;
        }

        var group = notification.Type == NotificationTypes.ImportProgress ? TasksHub.ImportsGroup : TasksHub.WarehouseGroup(notification.WarehouseId);
        try
        {
            await hub.Clients.Group(group).SendAsync(ClientMethod, notification);
            metrics.Processed(notification.Type);
        }
        catch (Exception ex)
        {
            metrics.Failed(RealtimeMetrics.SendFailure);
            logger.LogError(ex, "Could not relay {Type} #{Sequence} to {Group}", notification.Type, notification.Sequence, group);
        }
    }
}
