using System.Text.Json;
using System.Threading.Channels;
using Warehouse.Contracts.Notifications;
using Warehouse.Messaging;

namespace Warehouse.Testing;

/// <summary>
/// The notifications on the bus that match a filter, in the order Redis delivered them: a test takes the next one,
/// and proves that something was not published by a later change (a sentinel) arriving next instead.
/// </summary>
public sealed class NotificationRecorder
{
    private const string ProbeType = "test_probe";

    private readonly Channel<Notification> _received = Channel.CreateUnbounded<Notification>();
    private readonly Func<Notification, bool> _filter;
    private TaskCompletionSource _probed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NotificationRecorder(Func<Notification, bool> filter) => _filter = filter;

    public static async Task<NotificationRecorder> SubscribeAsync(IMessageBus bus, Func<Notification, bool> filter)
    {
        var recorder = new NotificationRecorder(filter);
        await bus.SubscribeAsync(Notification.Channel, message =>
        {
            recorder.Record(message);
            return Task.CompletedTask;
        });
        return recorder;
    }

    /// <summary>The next recorded notification.</summary>
    public Task<Notification> NextAsync(TimeSpan timeout) => NextAsync(_ => true, timeout);

    /// <summary>The next recorded notification that matches, skipping the others.</summary>
    public async Task<Notification> NextAsync(Func<Notification, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var notification = await _received.Reader.ReadAsync(cts.Token);
                if (match(notification))
                {
                    return notification;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No matching notification within {timeout}.");
        }
    }

    /// <summary>
    /// After a Redis outage, publishes probes until this subscription hears one: the client re-subscribes on its own
    /// schedule, and a change published before that would be lost to the test, not to the platform's clients.
    /// </summary>
    public async Task WaitUntilDeliveringAsync(IMessageBus bus, TimeSpan timeout)
    {
        _probed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await bus.PublishAsync(Notification.Channel, Notification.Create(ProbeType, "", 0, new { }).ToJson());
            }
            catch (MessageBusUnavailableException)
            {
                return false; // The publishing connection is not back yet either.
            }

            return await Task.WhenAny(_probed.Task, Task.Delay(TimeSpan.FromMilliseconds(200))) == _probed.Task;
        }, timeout, "the subscription never heard a probe after the outage");
    }

    private void Record(string message)
    {
        try
        {
            if (Notification.FromJson(message) is not { } notification)
            {
                return;
            }

            if (notification.Type == ProbeType)
            {
                _probed.TrySetResult();
            }
            else if (_filter(notification))
            {
                _received.Writer.TryWrite(notification);
            }
        }
        catch (JsonException)
        {
            // Other tests publish malformed messages on purpose; they are not this recorder's business.
        }
    }
}
