using System.Net;
using System.Net.Sockets;

namespace Warehouse.ProcessHost.Hosting;

/// <summary>Port per component; defaults to the seed ports in the README.</summary>
public sealed class PlatformPorts
{
    private static readonly IReadOnlyDictionary<string, int> Seed = new Dictionary<string, int>
    {
        [ComponentNames.ApiGateway] = 8000,
        [ComponentNames.TaskService] = 8001,
        [ComponentNames.ImportService] = 8003,
        [ComponentNames.RealtimeWorker] = 8004,
        [ComponentNames.Postgres] = 5432,
        [ComponentNames.Redis] = 6379,
        [ComponentNames.Prometheus] = 9090,
        [ComponentNames.Alertmanager] = 9093,
        [ComponentNames.NodeExporter] = 9100,
        [ComponentNames.PostgresExporter] = 9187,
        [ComponentNames.RedisExporter] = 9121,
        [ComponentNames.BlackboxExporter] = 9115,
    };

    private readonly Dictionary<string, int> _ports;

    private PlatformPorts(IDictionary<string, int> ports) => _ports = new Dictionary<string, int>(ports);

    public static PlatformPorts Defaults() => new(Seed.ToDictionary());

    /// <summary>A free loopback port for every component (tests).</summary>
    public static PlatformPorts Free() => new(Seed.Keys.ToDictionary(k => k, _ => FreePort()));

    public int this[string component]
    {
        get => _ports.TryGetValue(component, out var port) ? port : throw new KeyNotFoundException($"No port for component '{component}'.");
        set => _ports[component] = value is > 0 and < 65536 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "port");
    }

    public IReadOnlyDictionary<string, int> All => _ports;

    public PlatformPorts With(string component, int port)
    {
        var copy = new PlatformPorts(_ports);
        copy[component] = port;
        return copy;
    }

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A free loopback port below the kernel's ephemeral range (so outgoing connections and other programs'
    /// <c>bind(0)</c> never take it before our server binds it), never the same twice in this process.
    /// </summary>
    public static int FreePort()
    {
        var (low, high) = RandomPortRange();
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 500; attempt++)
            {
                var port = Random.Shared.Next(low, high);
                if (!HandedOut.Contains(port) && !IsInUse(port))
                {
                    HandedOut.Add(port);
                    return port;
                }
            }

            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var fallback = ((IPEndPoint)listener.LocalEndpoint).Port;
            HandedOut.Add(fallback);
            return fallback;
        }
    }

    private static (int Low, int High) RandomPortRange()
    {
        var ephemeralLow = 32768;
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            ephemeralLow = int.Parse(range[0]);
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
        }

        var high = Math.Clamp(ephemeralLow, 12000, 65535);
        return (Math.Max(10000, high - 12000), high);
    }

    /// <summary>True when something already listens on (or holds) 127.0.0.1:port.</summary>
    public static bool IsInUse(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
