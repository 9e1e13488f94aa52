namespace Warehouse.ProcessHost.Components;

/// <summary>One process of the platform: started, probed for readiness, stopped.</summary>
public interface IPlatformComponent
{
    /// <summary>Component name, e.g. <c>postgres</c>, <c>node-exporter</c>, <c>taskservice</c>.</summary>
    string Name { get; }

    /// <summary>Executables this component needs, checked before anything starts.</summary>
    IReadOnlyList<string> RequiredBinaries { get; }

    /// <summary>Throws when a binary or configuration file is missing (checked for all components before any starts).</summary>
    void Validate();

    int Port { get; }

    /// <summary>The URL published in endpoints.json.</summary>
    string Url { get; }

    string LogPath { get; }

    int? ProcessId { get; }

    bool IsRunning { get; }

    /// <summary>Prepares (config files, initdb) and launches the process; does not wait for readiness.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Waits until the readiness probe passes; throws a <see cref="Hosting.PlatformException"/> naming the log on timeout or exit.</summary>
    Task WaitHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken);

    Task<bool> IsHealthyAsync(CancellationToken cancellationToken);

    /// <summary>Graceful stop (component-specific signal), then kills the process tree after the timeout.</summary>
    Task StopAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
