using Warehouse.ProcessHost.Binaries;
using Warehouse.ProcessHost.Hosting;
using Warehouse.ProcessHost.Processes;
using Warehouse.ProcessHost.Secrets;

namespace Warehouse.ProcessHost.Components;

/// <summary>What every component reads: options, resolved paths, ports, secrets, binaries, logs.</summary>
public sealed class ComponentContext(PlatformOptions options, PlatformPaths paths, PlatformPorts ports, PlatformSecrets secrets)
{
    private readonly Dictionary<string, ComponentLog> _logs = [];
    private readonly Lazy<string> _monitoringHash = new(() => BCrypt.Net.BCrypt.HashPassword(secrets.MonitoringPassword, workFactor: 10));

    public PlatformOptions Options { get; } = options;

    public PlatformPaths Paths { get; } = paths;

    public PlatformPorts Ports { get; } = ports;

    public PlatformSecrets Secrets { get; } = secrets;

    /// <summary>bcrypt of the monitoring password, computed once per run.</summary>
    public string MonitoringPasswordHash => _monitoringHash.Value;

    public string Url(string component) => $"http://127.0.0.1:{Ports[component]}";

    public string PostgresConnectionString(string database = "warehousedb") =>
        $"Host=127.0.0.1;Port={Ports[ComponentNames.Postgres]};Username=postgres;Password={Secrets.PostgresPassword};Database={database}";

    public string RedisConnectionString => $"127.0.0.1:{Ports[ComponentNames.Redis]},password={Secrets.RedisPassword}";

    public string ResolveBinary(string component, string binary) =>
        Options.BinaryLocator.Find(binary) ?? throw new MissingBinaryException(component, binary, DebianPackages.For(binary));

    public ComponentLog Log(string component)
    {
        lock (_logs)
        {
            if (!_logs.TryGetValue(component, out var log))
            {
                log = new ComponentLog(component, Paths.LogFile(component), Options.Log);
                _logs[component] = log;
            }

            return log;
        }
    }

    public void DisposeLogs()
    {
        lock (_logs)
        {
            foreach (var log in _logs.Values)
            {
                log.Dispose();
            }

            _logs.Clear();
        }
    }
}
