using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Eventing;
using Aspire.Hosting.Lifecycle;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Warehouse.Hosting.Supervision;

/// <summary>
/// Starts a resource again when it exits on its own, with backoff, as Compose's <c>restart: unless-stopped</c> or a
/// Kubernetes restart policy would. Aspire has no restart policy: this watches the resources' states and uses the
/// resource's own Start command. A resource stopped on purpose (its Stop or Restart command, from the dashboard or a
/// test) stays stopped until someone starts it. Run-once resources (another waits for their completion) are left alone.
/// Every restart is counted in <see cref="RestartCountsFile"/>, which Prometheus reads through node_exporter.
/// </summary>
public sealed class ResourceSupervisor(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    IHostApplicationLifetime lifetime,
    RestartCountsFile counts,
    RestartBackoff backoff,
    TimeProvider time,
    ILogger<ResourceSupervisor> logger) : IDistributedApplicationEventingSubscriber
{
    private readonly ConcurrentDictionary<string, Supervised> _supervised = new(StringComparer.Ordinal);

    public Task SubscribeAsync(IDistributedApplicationEventing eventing, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        if (!executionContext.IsRunMode)
        {
            return Task.CompletedTask;
        }

        eventing.Subscribe<BeforeStartEvent>((@event, ct) =>
        {
            foreach (var resource in LongRunning(@event.Model))
            {
                _supervised[resource.Name] = new Supervised();
                counts.Track(resource.Name);
            }

            // Runs for the app's lifetime, not the event's.
            _ = Task.Run(() => WatchAsync(lifetime.ApplicationStopping), CancellationToken.None);
            return Task.CompletedTask;
        });
        // The orchestrator adds the Stop and Restart commands when it creates the resource, before its first start.
        eventing.Subscribe<BeforeResourceStartedEvent>((@event, ct) =>
        {
            if (_supervised.TryGetValue(@event.Resource.Name, out var supervised))
            {
                supervised.MarkStopsOnPurpose(@event.Resource);
            }

            return Task.CompletedTask;
        });
        return Task.CompletedTask;
    }

    /// <summary>Processes, projects and containers, except those another resource waits for to complete (run-once).</summary>
    private static IEnumerable<IResource> LongRunning(DistributedApplicationModel model)
    {
        var runOnce = model.Resources
            .SelectMany(r => r.Annotations.OfType<WaitAnnotation>())
            .Where(wait => wait.WaitType == WaitType.WaitForCompletion)
            .Select(wait => wait.Resource.Name)
            .ToHashSet(StringComparer.Ordinal);
        return model.Resources.Where(r => r is ExecutableResource or ProjectResource or ContainerResource && !runOnce.Contains(r.Name));
    }

    private async Task WatchAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var change in notifications.WatchAsync(stopping))
            {
                if (_supervised.TryGetValue(change.Resource.Name, out var supervised)
                    && supervised.Observe(change.Snapshot.State?.Text, time.GetUtcNow()) is { } ran)
                {
                    _ = RestartAsync(change.Resource.Name, supervised, change.Snapshot, ran, stopping);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task RestartAsync(string resource, Supervised supervised, CustomResourceSnapshot exited, TimeSpan ran, CancellationToken stopping)
    {
        var delay = supervised.NextDelay(backoff, ran);
        var restarts = counts.Increment(resource);
        logger.LogWarning(
            "{Resource} exited on its own ({State}, exit code {ExitCode}) after running {Ran:g}; starting it again in {Delay:g} (restart {Restarts}).",
            resource, exited.State?.Text, exited.ExitCode, ran, delay, restarts);
        try
        {
            await Task.Delay(delay, time, stopping);
            if (supervised.StoppedOnPurpose)
            {
                return;
            }

            var result = await commands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, stopping);
            if (!result.Success)
            {
                logger.LogWarning("{Resource} did not start again: {Message}", resource, result.Message);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>What the supervisor knows of one resource: its last state, whether it was stopped on purpose, its backoff.</summary>
    private sealed class Supervised
    {
        private readonly Lock _gate = new();
        private string? _state;
        private DateTimeOffset _runningSince;
        private TimeSpan? _lastDelay;
        private bool _commandsMarked;

        public bool StoppedOnPurpose { get; private set; }

        /// <summary>Records a state; returns how long the resource ran when it has just exited on its own, else null.</summary>
        public TimeSpan? Observe(string? state, DateTimeOffset now)
        {
            lock (_gate)
            {
                var previous = _state;
                _state = state;
                if (state == KnownResourceStates.Running && previous != KnownResourceStates.Running)
                {
                    _runningSince = now;
                    StoppedOnPurpose = false;
                    return null;
                }

                // Only the transition into a terminal state counts: the same state is published again with every update.
                var exited = state is not null && KnownResourceStates.TerminalStates.Contains(state)
                    && previous is not null && !KnownResourceStates.TerminalStates.Contains(previous);
                // A resource that failed to start ran for nothing: its backoff keeps growing.
                return exited && !StoppedOnPurpose ? (previous == KnownResourceStates.Running ? now - _runningSince : TimeSpan.Zero) : null;
            }
        }

        public TimeSpan NextDelay(RestartBackoff backoff, TimeSpan ran)
        {
            lock (_gate)
            {
                var delay = backoff.Next(_lastDelay, ran);
                _lastDelay = delay;
                return delay;
            }
        }

        /// <summary>Wraps the resource's Stop and Restart commands so that using them marks the stop as intended.</summary>
        public void MarkStopsOnPurpose(IResource resource)
        {
            lock (_gate)
            {
                if (_commandsMarked)
                {
                    return;
                }

                _commandsMarked = true;
            }

            foreach (var name in new[] { KnownResourceCommands.StopCommand, KnownResourceCommands.RestartCommand })
            {
                if (resource.Annotations.OfType<ResourceCommandAnnotation>().SingleOrDefault(a => a.Name == name) is not { } command)
                {
                    continue;
                }

                resource.Annotations.Remove(command);
                resource.Annotations.Add(new ResourceCommandAnnotation(
                    command.Name, command.DisplayName, command.UpdateState,
                    context =>
                    {
                        lock (_gate)
                        {
                            StoppedOnPurpose = true;
                        }

                        return command.ExecuteCommand(context);
                    },
                    command.DisplayDescription, command.Arguments, command.ConfirmationMessage, command.IconName, command.IconVariant, command.IsHighlighted,
                    command.Visibility, command.ValidateArguments));
            }
        }
    }
}
