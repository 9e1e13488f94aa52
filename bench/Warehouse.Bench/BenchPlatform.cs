using System.Net.Http.Headers;
using Warehouse.ProcessHost.Hosting;

namespace Warehouse.Bench;

/// <summary>The platform on free ports in a temp dir, services built in Release, limits raised for load.</summary>
public sealed class BenchPlatform : IAsyncDisposable
{
    private readonly string _dataDir;

    private BenchPlatform(Platform platform, string dataDir)
    {
        Platform = platform;
        _dataDir = dataDir;
    }

    public Platform Platform { get; }

    /// <summary>
    /// Starts the platform of <paramref name="repoRoot"/> (this checkout by default; another checkout to compare
    /// revisions), with <paramref name="environment"/> added to every service's environment.
    /// </summary>
    public static async Task<BenchPlatform> StartAsync(string? repoRoot = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dataDir = Directory.CreateTempSubdirectory("warehouse-bench-").FullName;
        var serviceEnvironment = new Dictionary<string, string>
        {
            ["RateLimiting__PermitsPerSecond"] = "100000",
            ["RateLimiting__Burst"] = "100000",
            ["Imports__MaxFileBytes"] = (2L * 1024 * 1024 * 1024).ToString(),
            ["Gateway__MaxImportBodyBytes"] = (2L * 1024 * 1024 * 1024).ToString(),
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            serviceEnvironment[key] = value;
        }

        var platform = new Platform(new PlatformOptions
        {
            RepoRoot = repoRoot ?? PlatformOptions.FindRepoRoot(),
            DataDir = dataDir,
            UseFreePorts = true,
            Configuration = "Release",
            BuildServices = true,
            EnvironmentName = "Production",
            ServiceEnvironment = serviceEnvironment,
        });
        await platform.StartAsync();
        Console.WriteLine($"platform started: {string.Join(", ", platform.StartTimes.Select(t => $"{t.Key} {t.Value.TotalSeconds:F1}s"))}");
        return new BenchPlatform(platform, dataDir);
    }

    public HttpClient Client(string component, string role, int connections = 64)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        var client = new HttpClient(handler) { BaseAddress = new Uri(Platform.Url(component)), Timeout = TimeSpan.FromMinutes(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Platform.Tokens.Mint(role, subject: "bench"));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Platform.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }
}
