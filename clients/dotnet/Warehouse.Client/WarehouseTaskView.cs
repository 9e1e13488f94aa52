using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Warehouse.Contracts.Notifications;
using Warehouse.Contracts.Tasks;

namespace Warehouse.Client;

/// <summary>
/// The current tasks of one warehouse, kept in step with the platform. Notifications arrive over SignalR (through
/// the gateway) with a per-warehouse sequence that rises by one per change. The view applies the next one; a jump
/// means something was missed (a Redis outage, a dropped message), so it reloads the warehouse over REST; so it does
/// after every reconnect and after an import. <see cref="Changed"/> and <see cref="Resynchronised"/> say what moved.
/// </summary>
/// <remarks>
/// The view loads the warehouse's open work (open, assigned, in progress), which is what a handheld needs first and
/// stays small however many tasks a warehouse has completed; tasks that complete afterwards stay in it with their
/// final status, and <see cref="LoadCompletedAsync"/> adds the completed ones on demand. A gap is noticed at the next
/// notification or reconnect; an application that must know sooner (say, on resume from sleep) calls
/// <see cref="ResyncAsync"/>. Notifications and reloads are applied one at a time, in order.
/// </remarks>
public sealed class WarehouseTaskView : IAsyncDisposable
{
    public const string HubPath = "/hubs/tasks";

    private static readonly HashSet<string> TaskTypes =
        [NotificationTypes.TaskCreated, NotificationTypes.TaskUpdated, NotificationTypes.TaskCompleted];

    private readonly WarehouseClientOptions _options;
    private readonly HttpClient _http;
    private readonly HubConnection _hub;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _sync = new();
    private readonly List<(Func<WarehouseTaskView, bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private Dictionary<Guid, TaskItem> _tasks = [];
    private bool _loaded;
    private bool _withCompleted;

    private WarehouseTaskView(WarehouseClientOptions options)
    {
        _options = options;
        _http = options.HttpMessageHandlerFactory is { } handler ? new HttpClient(handler()) : new HttpClient();
        _hub = new HubConnectionBuilder()
            .WithUrl(new Uri(options.Gateway, HubPath), http =>
            {
                http.AccessTokenProvider = options.AccessTokenProvider;
                http.Transports = HttpTransportType.WebSockets | HttpTransportType.ServerSentEvents | HttpTransportType.LongPolling;
                if (options.HttpMessageHandlerFactory is { } factory)
                {
                    http.HttpMessageHandlerFactory = _ => factory();
                }
            })
            .WithAutomaticReconnect(new RetryForever(options.MaxReconnectDelay))
            .Build();
        _hub.On<Notification>("notification", OnNotificationAsync);
        _hub.Reconnected += OnReconnectedAsync;
        // Waiters may be waiting on the connection state.
        _hub.Reconnecting += _ => NotifyAsync();
        _hub.Closed += _ => NotifyAsync();
    }

    /// <summary>A task was created, updated or completed.</summary>
    public event Action<TaskChange>? Changed;

    /// <summary>
    /// A notification of the warehouse arrived, before the view applies or skips it (a change a reload already holds,
    /// or one delivered twice): for delivery diagnostics and metrics. Raised once per delivery, in arrival order.
    /// </summary>
    public event Action<Notification>? Received;

    /// <summary>The warehouse was reloaded over REST; <see cref="Tasks"/> is the new state.</summary>
    public event Action<ResyncReason>? Resynchronised;

    public string WarehouseId => _options.WarehouseId;

    /// <summary>The last change applied: the warehouse's sequence the view reflects.</summary>
    public long Sequence { get; private set; }

    /// <summary>How many times the view reloaded after the first load.</summary>
    public int Resyncs { get; private set; }

    public HubConnectionState ConnectionState => _hub.State;

    /// <summary>
    /// The warehouse's open tasks by id, as of <see cref="Sequence"/>, with those that completed since the view loaded
    /// and, after <see cref="LoadCompletedAsync"/>, every completed one (a copy: safe to enumerate).
    /// </summary>
    public IReadOnlyDictionary<Guid, TaskItem> Tasks
    {
        get
        {
            lock (_sync)
            {
                return new Dictionary<Guid, TaskItem>(_tasks);
            }
        }
    }

    /// <summary>Connects, joins the warehouse and loads its tasks; a refused token or warehouse throws.</summary>
    public static async Task<WarehouseTaskView> StartAsync(WarehouseClientOptions options, CancellationToken ct = default)
    {
        var view = new WarehouseTaskView(options);
        try
        {
            await view._hub.StartAsync(ct);
            await view._hub.InvokeAsync("JoinWarehouse", options.WarehouseId, ct);
            await view.UnderGateAsync(() => view.EnsureLoadedAsync(ct), ct);
            return view;
        }
        catch
        {
            await view.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Completes when <paramref name="condition"/> holds, checked now and after every change, reload and connection change; throws
    /// <see cref="TimeoutException"/> when it does not within <paramref name="timeout"/>.
    /// </summary>
    public async Task WaitUntilAsync(Func<WarehouseTaskView, bool> condition, TimeSpan timeout, CancellationToken ct = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sync)
        {
            _waiters.Add((condition, done));
        }

        Notify();
        try
        {
            await done.Task.WaitAsync(timeout, ct);
        }
        finally
        {
            lock (_sync)
            {
                _waiters.RemoveAll(waiter => waiter.Done == done);
            }
        }
    }

    /// <summary>Reloads the warehouse over REST now.</summary>
    public Task ResyncAsync(CancellationToken ct = default) => UnderGateAsync(() => LoadAsync(ResyncReason.Requested, ct), ct);

    /// <summary>
    /// Adds the warehouse's done and cancelled tasks to <see cref="Tasks"/>, and keeps them there across reloads. They
    /// are final (no status leaves done or cancelled), so they need no notification to stay current.
    /// </summary>
    public Task LoadCompletedAsync(CancellationToken ct = default) => UnderGateAsync(async () =>
    {
        var completed = await TasksSnapshot.ReadAsync(_http, _options, completed: true, ct);
        lock (_sync)
        {
            foreach (var task in completed.Tasks)
            {
                TasksSnapshot.Merge(_tasks, task);
            }
        }

        _withCompleted = true;
        Notify();
    }, ct);

    public async ValueTask DisposeAsync()
    {
        await _hub.DisposeAsync();
        _http.Dispose();
    }

    private Task OnNotificationAsync(Notification notification)
    {
        if (notification.WarehouseId != _options.WarehouseId)
        {
            return Task.CompletedTask;
        }

        Received?.Invoke(notification);
        return UnderGateAsync(() => ApplyAsync(notification), CancellationToken.None);
    }

    private async Task OnReconnectedAsync(string? connectionId)
    {
        // Group membership belongs to the connection: join again, then catch up on what the outage swallowed.
        await _hub.InvokeAsync("JoinWarehouse", _options.WarehouseId);
        await UnderGateAsync(() => LoadAsync(ResyncReason.Reconnected, CancellationToken.None), CancellationToken.None);
    }

    private async Task ApplyAsync(Notification notification)
    {
        await EnsureLoadedAsync(CancellationToken.None);
        if (notification.Sequence <= Sequence)
        {
            return; // Already in the snapshot, or a duplicate.
        }

        if (notification.Sequence != Sequence + 1)
        {
            await LoadAsync(ResyncReason.Gap, CancellationToken.None);
            return;
        }

        if (!TaskTypes.Contains(notification.Type))
        {
            await LoadAsync(ResyncReason.Imported, CancellationToken.None);
            return;
        }

        var task = notification.Data.Deserialize<TaskItem>(JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"Notification {notification.Sequence} of {notification.WarehouseId} has no task.");
        bool newer;
        lock (_sync)
        {
            // A page read after the snapshot's first may already hold this change, or a later one of the same task.
            newer = TasksSnapshot.Merge(_tasks, task);
        }

        Sequence = notification.Sequence;
        if (newer)
        {
            Changed?.Invoke(new TaskChange(notification.Type, task, notification.Sequence));
        }

        Notify();
    }

    private async Task EnsureLoadedAsync(CancellationToken ct)
    {
        if (!_loaded)
        {
            await ReplaceAsync(ct);
            _loaded = true;
            Notify();
        }
    }

    private async Task LoadAsync(ResyncReason reason, CancellationToken ct)
    {
        await ReplaceAsync(ct);
        Resyncs++;
        Resynchronised?.Invoke(reason);
        Notify();
    }

    private Task NotifyAsync()
    {
        Notify();
        return Task.CompletedTask;
    }

    private void Notify()
    {
        List<(Func<WarehouseTaskView, bool> Condition, TaskCompletionSource Done)> waiters;
        lock (_sync)
        {
            _waiters.RemoveAll(waiter => waiter.Done.Task.IsCompleted);
            waiters = [.. _waiters];
        }

        foreach (var (condition, done) in waiters.Where(waiter => waiter.Condition(this)))
        {
            done.TrySetResult();
        }
    }

    private async Task ReplaceAsync(CancellationToken ct)
    {
        var snapshot = await TasksSnapshot.ReadAsync(_http, _options, completed: false, ct);
        var tasks = snapshot.Tasks.ToDictionary(task => task.Id);
        if (_withCompleted)
        {
            // Read after the open ones: a task in both completed in between, and the higher version is its final state.
            foreach (var task in (await TasksSnapshot.ReadAsync(_http, _options, completed: true, ct)).Tasks)
            {
                TasksSnapshot.Merge(tasks, task);
            }
        }

        lock (_sync)
        {
            _tasks = tasks;
        }

        Sequence = snapshot.Sequence;
    }

    private async Task UnderGateAsync(Func<Task> action, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await action();
        }
        finally
        {
            _gate.Release();
        }
    }
}
