using System.Net.Http.Headers;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Warehouse.Contracts.Security;
using Warehouse.Testing;

namespace Warehouse.Bench;

/// <summary>
/// The platform as people run it (the AppHost, local flavour, seed ports) with this checkout's Release build, state
/// in a temp dir, in the Production environment, limits raised for load.
/// </summary>
public sealed class BenchPlatform : IAsyncDisposable
{
    private readonly TempDir _dataDir;

    private BenchPlatform(LocalAppHost host, TempDir dataDir, PlatformSecrets secrets)
    {
        Host = host;
        _dataDir = dataDir;
        Secrets = secrets;
    }

    public LocalAppHost Host { get; }

    public PlatformSecrets Secrets { get; }

    /// <summary>
    /// Starts the platform with <paramref name="environment"/> added to every service's environment; a name written
    /// <c>service:NAME</c> goes to that service only.
    /// </summary>
    /// <paramref name="proxied"/>: random ports behind the orchestrator's proxy, as under the tests, to measure that hop.
    /// <paramref name="arguments"/>: more AppHost settings, such as copies of a service.
    public static async Task<BenchPlatform> StartAsync(IReadOnlyDictionary<string, string>? environment = null, bool proxied = false, IEnumerable<string>? arguments = null)
    {
        var dataDir = new TempDir("warehouse-bench");
        var secrets = new PlatformSecrets();
        var serviceEnvironment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["RateLimiting__PermitsPerSecond"] = "100000",
            ["RateLimiting__Burst"] = "100000",
            ["Imports__MaxFileBytes"] = (2L * 1024 * 1024 * 1024).ToString(),
            ["Gateway__MaxImportBodyBytes"] = (2L * 1024 * 1024 * 1024).ToString(),
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            serviceEnvironment[key] = value;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Seed ports, as people run it: each service binds its own port, with no orchestrator proxy in between.
        var host = await LocalAppHost.StartPlatformAsync(typeof(Projects.AppHost), dataDir.Path, secrets, [$"--DcpPublisher:RandomizePorts={proxied}", .. arguments ?? []], builder =>
        {
            // The numbers are the output: the orchestration's own logging stays off the console.
            builder.Services.AddLogging(logging => logging.ClearProviders());
            foreach (var service in builder.Resources.OfType<ProjectResource>().ToList())
            {
                var resource = builder.CreateResourceBuilder(service);
                foreach (var (key, value) in serviceEnvironment)
                {
                    if (VariableFor(key, service.Name) is { } name)
                    {
                        resource.WithEnvironment(name, value);
                    }
                }
            }
        });
        Console.WriteLine($"platform started and healthy in {clock.Elapsed.TotalSeconds:F1} s");
        return new BenchPlatform(host, dataDir, secrets);
    }

    public string Url(string resource) => Host.Endpoint(resource).ToString().TrimEnd('/');

    /// <summary>A client with a token for <paramref name="warehouses"/> (an admin's token covers all).</summary>
    public HttpClient Client(string component, string role, IReadOnlyCollection<string> warehouses, int connections = 64)
    {
        var client = new HttpClient(Handler(connections)) { BaseAddress = new Uri(Url(component)), Timeout = TimeSpan.FromMinutes(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(role, warehouses));
        return client;
    }

    /// <summary>
    /// A client of <paramref name="baseUrl"/> whose requests each carry the next of <paramref name="tokens"/> (<see cref="Tokens"/>),
    /// as many users' clients would: no single cached token or rate-limit partition.
    /// </summary>
    public static HttpClient RotatingClient(string baseUrl, IReadOnlyList<string> tokens, int connections) =>
        new(new RotatingTokens(tokens) { InnerHandler = Handler(connections) }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(30) };

    /// <summary>A token for each of <paramref name="users"/> users (subjects bench-0, bench-1, ...), all with <paramref name="role"/>.</summary>
    public IReadOnlyList<string> Tokens(string role, IReadOnlyCollection<string> warehouses, int users) =>
        [.. Enumerable.Range(0, users).Select(i => TokenIssuer.Create(new JwtOptions { SigningKey = Secrets.JwtSigningKey }, $"bench-{i}", role, warehouses))];

    private static SocketsHttpHandler Handler(int connections) =>
        new() { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };

    /// <summary>A bearer token for <paramref name="warehouses"/>, for clients the bench does not build itself.</summary>
    public string Token(string role, IReadOnlyCollection<string> warehouses) =>
        TokenIssuer.Create(new JwtOptions { SigningKey = Secrets.JwtSigningKey }, "bench", role, warehouses);

    /// <summary>
    /// The process of a service: the one whose command line names its assembly (the AppHost starts it as
    /// <c>dotnet exec &lt;assembly&gt;</c>).
    /// </summary>
    public static int ServiceProcessId(string assemblyName) =>
        Directory.EnumerateDirectories("/proc")
            .Select(dir => (Pid: int.TryParse(Path.GetFileName(dir), out var pid) ? pid : 0, Dir: dir))
            .Where(p => p.Pid > 0)
            .Select(p => (p.Pid, CommandLine: TryRead(Path.Combine(p.Dir, "cmdline"))))
            .Where(p => p.CommandLine.Contains($"/{assemblyName}\0", StringComparison.Ordinal) || p.CommandLine.Contains($"/{assemblyName}.dll", StringComparison.Ordinal))
            .Select(p => p.Pid)
            .Single();

    /// <summary>
    /// Stops the platform and returns once its seed ports are free again: the orchestrator stops the processes after
    /// the host is disposed, and the next benchmark's platform binds the same ports (seen: "Port 5432 (postgres), 8001
    /// (taskservice)... is in use" when the compare benchmark started right after the shared platform).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var ports = Host.App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .SelectMany(resource => resource.Annotations.OfType<EndpointAnnotation>())
            .Where(endpoint => endpoint.Port is not null && !endpoint.IsProxied)
            .Select(endpoint => endpoint.Port!.Value)
            .Distinct()
            .ToList();
        await Teardown.DisposeAllAsync(Host, _dataDir);
        await Eventually.TrueAsync(() => ports.All(IsFree), TimeSpan.FromSeconds(60),
            "the stopped platform's seed ports free again");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary><c>NAME</c> is for every service; <c>service:NAME</c> for that one.</summary>
    private static string? VariableFor(string key, string service) => key.Split(':', 2) switch
    {
        [var name] => name,
        [var target, var name] when target == service => name,
        _ => null,
    };

    private static string TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }
}
