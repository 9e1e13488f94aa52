using Warehouse.ProcessHost.Components;
using Warehouse.ProcessHost.Hosting;
using Warehouse.ProcessHost.Secrets;
using Xunit;
using Warehouse.Contracts.Security;

namespace Warehouse.Testing;

/// <summary>
/// Real Postgres and Redis processes from the installed binaries (ProcessHost's components), on free loopback
/// ports in a temp dir, stopped and removed afterwards. It exports the services' configuration contract as
/// environment variables, so an in-process service (WebApplicationFactory) reads it exactly as under a host,
/// and puts the previous values back afterwards.
/// </summary>
public sealed class DataInfrastructure : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly TempDir _dataDir = new();
    private readonly ComponentContext _context;
    private ScopedEnvironment? _environment;

    public DataInfrastructure()
    {
        var options = new PlatformOptions { RepoRoot = PlatformOptions.FindRepoRoot(), DataDir = _dataDir.Path, FastPostgres = true };
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

    public string DataDir => _dataDir.Path;

    public string Token(string role, string subject = "tester", string? warehouse = null) => TokenIssuer.Create(Jwt, subject, role, warehouse);

    public async Task InitializeAsync()
    {
        await StartAsync(Postgres);
        await StartAsync(Redis);
        _environment = new ScopedEnvironment(new Dictionary<string, string>
        {
            ["ConnectionStrings__warehousedb"] = PostgresConnectionString,
            ["ConnectionStrings__redis"] = RedisConnectionString,
            ["Jwt__SigningKey"] = _context.Secrets.JwtSigningKey,
            ["Imports__SpoolDirectory"] = _dataDir.Combine("spool"),
        });
    }

    public async Task StartAsync(IPlatformComponent component)
    {
        await component.StartAsync(CancellationToken.None);
        await component.WaitHealthyAsync(Timeout, CancellationToken.None);
    }

    public Task StopAsync(IPlatformComponent component) => component.StopAsync(TimeSpan.FromSeconds(20), CancellationToken.None);

    /// <summary>Stops both servers even if one refuses, then removes the temp dir and restores the environment.</summary>
    public Task DisposeAsync() => Teardown.RunAsync(
        () => StopAsync(Redis),
        () => StopAsync(Postgres),
        () =>
        {
            _context.DisposeLogs();
            return Task.CompletedTask;
        },
        () => Teardown.DisposeAllAsync(_dataDir, _environment));
}
