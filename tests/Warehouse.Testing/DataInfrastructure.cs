using Warehouse.ProcessHost.Components;
using Warehouse.ProcessHost.Hosting;
using Warehouse.ProcessHost.Secrets;
using Xunit;
using Warehouse.Contracts.Security;

namespace Warehouse.Testing;

/// <summary>
/// Real Postgres and Redis processes from the installed binaries (ProcessHost's components), on free loopback
/// ports in a temp dir, stopped and removed afterwards. It exports the services' configuration contract as
/// environment variables, so an in-process service (WebApplicationFactory) reads it exactly as under a host.
/// </summary>
public sealed class DataInfrastructure : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string _dataDir = Directory.CreateTempSubdirectory("warehouse-tests-").FullName;
    private readonly ComponentContext _context;

    public DataInfrastructure()
    {
        var options = new PlatformOptions { RepoRoot = PlatformOptions.FindRepoRoot(), DataDir = _dataDir, FastPostgres = true };
        var paths = new PlatformPaths(options);
        _context = new ComponentContext(options, paths, PlatformPorts.Free(), PlatformSecrets.Generate());
        Postgres = new PostgresComponent(_context);
        Redis = new RedisComponent(_context);
    }

    public IPlatformComponent Postgres { get; }

    public IPlatformComponent Redis { get; }

    public string PostgresConnectionString => _context.PostgresConnectionString();

    public string RedisConnectionString => _context.RedisConnectionString;

    public JwtOptions Jwt => new() { SigningKey = _context.Secrets.JwtSigningKey };

    public string DataDir => _dataDir;

    public string Token(string role, string subject = "tester", string? warehouse = null) => TokenIssuer.Create(Jwt, subject, role, warehouse);

    public async Task InitializeAsync()
    {
        await StartAsync(Postgres);
        await StartAsync(Redis);
        Environment.SetEnvironmentVariable("ConnectionStrings__warehousedb", PostgresConnectionString);
        Environment.SetEnvironmentVariable("ConnectionStrings__redis", RedisConnectionString);
        Environment.SetEnvironmentVariable("Jwt__SigningKey", Jwt.SigningKey);
        Environment.SetEnvironmentVariable("Imports__SpoolDirectory", Path.Combine(_dataDir, "spool"));
    }

    public async Task StartAsync(IPlatformComponent component)
    {
        await component.StartAsync(CancellationToken.None);
        await component.WaitHealthyAsync(Timeout, CancellationToken.None);
    }

    public Task StopAsync(IPlatformComponent component) => component.StopAsync(TimeSpan.FromSeconds(20), CancellationToken.None);

    /// <summary>Stops both servers even if one refuses, then removes the temp dir.</summary>
    public async Task DisposeAsync()
    {
        try
        {
            await StopAsync(Redis);
        }
        finally
        {
            try
            {
                await StopAsync(Postgres);
            }
            finally
            {
                _context.DisposeLogs();
                Directory.Delete(_dataDir, recursive: true);
            }
        }
    }
}
