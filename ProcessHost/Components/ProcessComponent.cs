using System.Diagnostics;
using Warehouse.ProcessHost.Hosting;
using Warehouse.ProcessHost.Processes;

namespace Warehouse.ProcessHost.Components;

/// <summary>Shared lifecycle of a component that is one long-running child process.</summary>
public abstract class ProcessComponent(string name, ComponentContext context) : IPlatformComponent
{
    private ManagedProcess? _process;
    private volatile bool _stopping;

    public string Name { get; } = name;

    protected ComponentContext Context { get; } = context;

    protected ComponentLog Log => Context.Log(Name);

    public abstract IReadOnlyList<string> RequiredBinaries { get; }

    public int Port => Context.Ports[Name];

    public virtual string Url => Context.Url(Name);

    public string LogPath => Context.Paths.LogFile(Name);

    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Signal for a graceful stop (SIGTERM unless the server wants another one).</summary>
    protected virtual int StopSignal => Posix.SIGTERM;

    /// <summary>Configuration files that must exist before the component can start.</summary>
    protected virtual IEnumerable<string> RequiredFiles => [];

    public void Validate()
    {
        foreach (var binary in RequiredBinaries)
        {
            Binary(binary);
        }

        foreach (var file in RequiredFiles.Where(f => !File.Exists(f)))
        {
            throw new PlatformException($"{Name}: configuration file {file} does not exist.");
        }
    }

    protected string Binary(string name) => Context.ResolveBinary(Name, name);

    /// <summary>Writes configuration, creates directories, initialises state. Runs before every start.</summary>
    protected virtual Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected abstract ProcessLaunch CreateLaunch();

    protected abstract Task<bool> ProbeAsync(CancellationToken cancellationToken);

    /// <summary>Runs once the probe passes (e.g. create the application database).</summary>
    protected virtual Task OnHealthyAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (IsRunning)
        {
            throw new PlatformException($"{Name} is already running (pid {_process!.Id}).");
        }

        if (PlatformPorts.IsInUse(Port))
        {
            throw new PortInUseException(Name, Port);
        }

        await PrepareAsync(cancellationToken);
        _process?.Dispose();
        var process = ManagedProcess.Start(CreateLaunch(), Log);
        _process = process;
        _ = process.Exited.ContinueWith(
            t =>
            {
                if (ReferenceEquals(_process, process) && !_stopping)
                {
                    Log.Write($"[processhost] exited unexpectedly with code {t.Result}");
                    Context.Log(Platform.HostLog).Write($"{Name} exited unexpectedly with code {t.Result} (log: {LogPath})");
                }
            },
            TaskScheduler.Default);
    }

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) =>
        IsRunning ? ProbeAsync(cancellationToken) : Task.FromResult(false);

    public async Task WaitHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var process = _process ?? throw new InvalidOperationException($"{Name} was not started.");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                var code = await process.Exited;
                throw new PlatformException(
                    $"{Name} exited with code {code} before it became healthy. Log: {LogPath}{Environment.NewLine}{Log.Tail()}");
            }

            if (await ProbeAsync(cancellationToken))
            {
                await OnHealthyAsync(cancellationToken);
                return;
            }

            if (clock.Elapsed > timeout)
            {
                throw new PlatformException(
                    $"{Name} did not become healthy within {timeout.TotalSeconds:0.###} s. Log: {LogPath}{Environment.NewLine}{Log.Tail()}");
            }

            await Task.Delay(clock.Elapsed < TimeSpan.FromSeconds(2) ? 50 : 250, cancellationToken);
        }
    }

    public async Task StopAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_process is not { } process)
        {
            return;
        }

        _stopping = true;
        if (!process.HasExited)
        {
            var graceful = await process.StopAsync(StopSignal, timeout, cancellationToken);
            Log.Write(graceful
                ? $"[processhost] stopped (exit code {await process.Exited})"
                : $"[processhost] did not stop within {timeout.TotalSeconds:0} s: killed the process tree");
        }

        process.Dispose();
        _process = null;
        _stopping = false;
    }
}
