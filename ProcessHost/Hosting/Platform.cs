using System.Diagnostics;
using Warehouse.Contracts.Faults;
using Warehouse.ProcessHost.Components;
using Warehouse.ProcessHost.Monitoring;
using Warehouse.ProcessHost.Secrets;
using Warehouse.ProcessHost.Tokens;

namespace Warehouse.ProcessHost.Hosting;

/// <summary>
/// The whole platform as processes: started in dependency order (stages start in parallel inside), waited on
/// until healthy, stopped in reverse order. Used by the CLI and by the end-to-end tests.
/// </summary>
public sealed class Platform : IAsyncDisposable
{
    public const string HostLog = "processhost";

    private readonly List<IReadOnlyList<IPlatformComponent>> _stages;
    private readonly Dictionary<string, TimeSpan> _startTimes = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private RunLock? _runLock;
    private bool _resetDone; // stale processes handled and --reset applied (first start only)

    public Platform(PlatformOptions options)
    {
        Options = options;
        Paths = new PlatformPaths(options);
        Ports = options.UseFreePorts ? PlatformPorts.Free() : options.Ports;
        Directory.CreateDirectory(Paths.DataDir);
        Secrets = PlatformSecrets.LoadOrCreate(Paths.SecretsFile);
        Context = new ComponentContext(options, Paths, Ports, Secrets);
        _stages = BuildStages(Context, options.IncludeServices);
    }

    public PlatformOptions Options { get; }

    public PlatformPaths Paths { get; }

    public PlatformPorts Ports { get; }

    public PlatformSecrets Secrets { get; }

    internal ComponentContext Context { get; }

    public IEnumerable<IPlatformComponent> Components => _stages.SelectMany(s => s);

    /// <summary>Name → URL of every component (URLs are fixed once ports are chosen).</summary>
    public IReadOnlyDictionary<string, string> Endpoints => Components.ToDictionary(c => c.Name, c => c.Url);

    /// <summary>Name → pid of every running component.</summary>
    public IReadOnlyDictionary<string, int> ProcessIds =>
        Components.Where(c => c.ProcessId is not null).ToDictionary(c => c.Name, c => c.ProcessId!.Value);

    /// <summary>How long each component took from launch to healthy in the last start, plus "total".</summary>
    public IReadOnlyDictionary<string, TimeSpan> StartTimes => _startTimes;

    public string PostgresConnectionString(string database = PostgresComponent.Database) => Context.PostgresConnectionString(database);

    public string RedisConnectionString => Context.RedisConnectionString;

    /// <summary>Value for an Authorization header on Prometheus and Alertmanager.</summary>
    public string MonitoringAuthorization => Secrets.MonitoringAuthorizationHeader;

    public TokenIssuer Tokens => new(Secrets.JwtSigningKey);

    public string Url(string component) => Component(component).Url;

    public IPlatformComponent Component(string name) =>
        Components.FirstOrDefault(c => c.Name == name)
        ?? throw new PlatformException($"Unknown component '{name}'. Known: {string.Join(", ", Components.Select(c => c.Name))}.");

    /// <summary>
    /// Checks binaries and ports, builds the services when asked, starts every component in order and waits for
    /// each to be healthy. On failure or cancellation, whatever started is stopped again before the exception.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var component in Components)
            {
                component.Validate();
            }

            _runLock ??= RunLock.Acquire(Paths.DataDir);
            try
            {
                await PrepareRunAsync(cancellationToken);
                _startTimes.Clear();
                var total = Stopwatch.StartNew();
                foreach (var stage in _stages)
                {
                    await Task.WhenAll(stage.Where(c => !c.IsRunning).Select(c => StartOneAsync(c, cancellationToken)));
                }

                _startTimes["total"] = total.Elapsed;
            }
            catch
            {
                Say("start failed: stopping what was started");
                await StopAllCoreAsync();
                WriteEndpointsFile();
                ReleaseRunLock();
                throw;
            }

            Say($"all {Components.Count()} components healthy in {_startTimes["total"].TotalSeconds:0.00} s");
            WriteEndpointsFile();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Before the first stage: leftovers of a killed run, --reset, ports, the services' build.</summary>
    private async Task PrepareRunAsync(CancellationToken cancellationToken)
    {
        if (!_resetDone)
        {
            await StaleProcesses.StopAsync(Paths, Components.ToList(), Options.BinaryLocator.Find, Options.StopTimeout, Say);
            if (Options.Reset)
            {
                Say($"--reset: wiping the state under {Paths.DataDir} (keeping secrets.json and logs/)");
                ResetState(Paths);
            }

            _resetDone = true;
        }

        foreach (var component in Components.Where(c => !c.IsRunning))
        {
            if (PlatformPorts.IsInUse(component.Port))
            {
                if (!Options.UseFreePorts)
                {
                    throw new PortInUseException(component.Name, component.Port);
                }

                // Someone took the free port since it was picked: pick another (before anything starts).
                Ports[component.Name] = PlatformPorts.FreePort();
            }
        }

        if (Options.BuildServices && Options.IncludeServices)
        {
            var build = Stopwatch.StartNew();
            Say("building the services (dotnet build) ...");
            await ServiceBuilder.BuildAsync(Context, cancellationToken);
            Say($"services built in {build.Elapsed.TotalSeconds:0.0} s");
        }
    }

    /// <summary>Stops every component in reverse order (services, Prometheus, Alertmanager, exporters, Redis, Postgres).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_runLock is null)
            {
                return; // never started (or already stopped): nothing of ours runs, leave endpoints.json alone
            }

            await StopAllCoreAsync();
            WriteEndpointsFile();
            ReleaseRunLock();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops one component (its dependents keep running, e.g. to test an outage).</summary>
    public async Task StopComponentAsync(string name, CancellationToken cancellationToken = default)
    {
        var component = Component(name);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            EnsureStarted();
            Say($"stopping {name}");
            await component.StopAsync(Options.StopTimeout, CancellationToken.None);
            WriteEndpointsFile();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts one stopped component again on its port and waits until it is healthy.</summary>
    public async Task StartComponentAsync(string name, CancellationToken cancellationToken = default)
    {
        var component = Component(name);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            EnsureStarted();
            if (component.IsRunning)
            {
                return;
            }

            try
            {
                await StartOneAsync(component, cancellationToken);
            }
            catch
            {
                await component.StopAsync(Options.StopTimeout, CancellationToken.None);
                throw;
            }

            WriteEndpointsFile();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task RestartComponentAsync(string name, CancellationToken cancellationToken = default)
    {
        await StopComponentAsync(name, cancellationToken);
        await StartComponentAsync(name, cancellationToken);
    }

    /// <summary>
    /// Sets a service's fault switches and, if it is running, returns once it reports them loaded (a stopped service
    /// reads them when it starts).
    /// </summary>
    public async Task SetFaultsAsync(string service, double errorRate, int latencyMs = 0, string pathPrefix = "/api", CancellationToken cancellationToken = default)
    {
        await Faults.FaultSwitch.WriteAsync(Paths.FaultsFile(ServiceName(service)), errorRate, latencyMs, pathPrefix, cancellationToken);
        if (Component(ServiceName(service)).IsRunning)
        {
            await Faults.FaultSwitch.WaitUntilLoadedAsync(Url(service), FaultState.Describe(errorRate, latencyMs, pathPrefix), cancellationToken);
        }
    }

    /// <summary>Turns a service's fault switches off and returns once the service reports them off.</summary>
    public Task ClearFaultsAsync(string service, CancellationToken cancellationToken = default) =>
        SetFaultsAsync(service, 0, 0, "/api", cancellationToken);

    /// <summary>Rewrites Prometheus' file_sd targets (e.g. after a test changed a port).</summary>
    public void WritePrometheusTargets() => PrometheusLayout.WriteTargets(Context);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Context.DisposeLogs();
        _gate.Dispose();
    }

    private async Task StartOneAsync(IPlatformComponent component, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await component.StartAsync(cancellationToken);
        await component.WaitHealthyAsync(Options.HealthTimeout, cancellationToken);
        lock (_startTimes)
        {
            _startTimes[component.Name] = clock.Elapsed;
        }

        Say($"{component.Name} healthy in {clock.Elapsed.TotalMilliseconds:0} ms (pid {component.ProcessId}, {component.Url})");
    }

    private async Task StopAllCoreAsync()
    {
        for (var i = _stages.Count - 1; i >= 0; i--)
        {
            await Task.WhenAll(_stages[i].Where(c => c.IsRunning).Select(async c =>
            {
                var clock = Stopwatch.StartNew();
                await c.StopAsync(Options.StopTimeout, CancellationToken.None);
                Say($"{c.Name} stopped in {clock.Elapsed.TotalMilliseconds:0} ms");
            }));
        }
    }

    private static string ServiceName(string service) =>
        ComponentNames.Services.Contains(service) ? service : throw new PlatformException($"'{service}' is not a service ({string.Join(", ", ComponentNames.Services)}).");

    private void EnsureStarted()
    {
        if (_runLock is null)
        {
            throw new PlatformException("The platform is not started: call StartAsync first.");
        }
    }

    private void ReleaseRunLock()
    {
        _runLock?.Dispose();
        _runLock = null;
    }

    private void WriteEndpointsFile()
    {
        new EndpointsFile(Endpoints, ProcessIds).Write(Paths.EndpointsFile);
    }

    private void Say(string message) => Context.Log(HostLog).Write(message);

    private static List<IReadOnlyList<IPlatformComponent>> BuildStages(ComponentContext context, bool includeServices)
    {
        var stages = new List<IReadOnlyList<IPlatformComponent>>
        {
            new IPlatformComponent[] { new PostgresComponent(context), new RedisComponent(context) },
            new IPlatformComponent[]
            {
                Exporters.Node(context), Exporters.Postgres(context), Exporters.Redis(context), Exporters.Blackbox(context),
                new AlertmanagerComponent(context),
            },
            new IPlatformComponent[] { new PrometheusComponent(context) },
        };
        if (includeServices)
        {
            // taskservice owns the tasks table that importservice COPYs into; the gateway fronts them all.
            stages.Add([new ServiceComponent(ComponentNames.TaskService, context)]);
            stages.Add([new ServiceComponent(ComponentNames.ImportService, context), new ServiceComponent(ComponentNames.RealtimeWorker, context)]);
            stages.Add([new ServiceComponent(ComponentNames.ApiGateway, context)]);
        }

        return stages;
    }

    /// <summary>--reset: wipes all state (Postgres cluster, Prometheus TSDB, ...) but keeps secrets.json and logs/ (open).</summary>
    private static void ResetState(PlatformPaths paths)
    {
        if (!Directory.Exists(paths.DataDir))
        {
            return;
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(paths.DataDir))
        {
            var name = Path.GetFileName(entry);
            if (Path.GetFullPath(entry) == paths.SecretsFile || name == "processhost.lock" || (name == "logs" && Directory.Exists(entry)))
            {
                continue;
            }

            var info = new FileInfo(entry);
            if (info.LinkTarget is null && Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                info.Delete();
            }
        }
    }
}
