using System.Diagnostics.Metrics;
using Warehouse.Contracts.Notifications;

namespace Warehouse.RealtimeWorker.Relay;

/// <summary>The worker's own instruments (meter <c>Warehouse.Realtime</c>); connection counts come from SignalR's native meter.</summary>
public sealed class RealtimeMetrics
{
    public const string MeterName = "Warehouse.Realtime";
    public const string MalformedFailure = "malformed";
    public const string SendFailure = "send";

    private readonly Counter<long> _messages;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _memoryTrims;

    public RealtimeMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _messages = meter.CreateCounter<long>("warehouse.realtime.messages", "{message}", "Notifications relayed to SignalR clients, by type");
        _failures = meter.CreateCounter<long>("warehouse.realtime.broadcast.failures", "{failure}", "Notifications that could not be relayed");
        _memoryTrims = meter.CreateCounter<long>("warehouse.realtime.memory.trims", "{trim}", "Heap compactions after a crowd of hub clients left");
        _messages.StartAtZero("type",
            [NotificationTypes.TaskCreated, NotificationTypes.TaskUpdated, NotificationTypes.TaskCompleted, NotificationTypes.TasksImported, NotificationTypes.ImportProgress]);
        _failures.StartAtZero("reason", [MalformedFailure, SendFailure]);
        _memoryTrims.Add(0);
    }

    public void Processed(string type) => _messages.Add(1, new KeyValuePair<string, object?>("type", type));

    public void MemoryTrimmed() => _memoryTrims.Add(1);

    public void Failed(string reason) => _failures.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
