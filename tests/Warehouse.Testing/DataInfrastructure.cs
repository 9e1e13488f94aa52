using Npgsql;
using Warehouse.Contracts.Hosting;
using Warehouse.Contracts.Security;
using Xunit;

namespace Warehouse.Testing;

/// <summary>
/// Real Postgres and Redis from the installed binaries, started by the tests' DataHost (the AppHost's local resources)
/// on loopback ports of a block only this fixture uses (<see cref="PortBlock"/>), in a temp dir, stopped and removed afterwards. It exports the services' configuration
/// contract as environment variables, so an in-process service (WebApplicationFactory) reads it exactly as under the
/// AppHost, and puts the previous values back afterwards.
/// </summary>
public sealed class DataInfrastructure : IAsyncLifetime
{
    public const string Postgres = "postgres";
    public const string Redis = "redis";

    private readonly TempDir _dataDir = new();
    private readonly PortBlock _ports = PortBlock.Claim();
    private readonly PlatformSecrets _secrets = new();
    private LocalAppHost? _host;
    private ScopedEnvironment? _environment;

    public string PostgresConnectionString { get; private set; } = "";

    public string RedisConnectionString { get; private set; } = "";

    public JwtOptions Jwt => new() { SigningKey = _secrets.JwtSigningKey };

    public string DataDir => _dataDir.Path;

    public string Token(string role, string subject = "tester", string? warehouse = null) => TokenIssuer.Create(Jwt, subject, role, warehouse);

    public string Token(string role, string subject, IReadOnlyCollection<string> warehouses) => TokenIssuer.Create(Jwt, subject, role, warehouses);

    public async Task InitializeAsync()
    {
        _host = await LocalAppHost.StartAsync(typeof(Projects.DataHost),
        [
            $"--DataHost:DataDirectory={_dataDir.Path}",
            $"--DataHost:PostgresPort={_ports[0]}",
            $"--DataHost:RedisPort={_ports[1]}",
            $"--Parameters:{SecretNames.PasswordOf(Postgres)}={_secrets.PostgresPassword}",
            $"--Parameters:{SecretNames.PasswordOf(Redis)}={_secrets.RedisPassword}",
        ]);
        PostgresConnectionString = await _host.ConnectionStringAsync("warehousedb");
        RedisConnectionString = await _host.ConnectionStringAsync(Redis);
        _environment = new ScopedEnvironment(new Dictionary<string, string>
        {
            ["ConnectionStrings__warehousedb"] = PostgresConnectionString,
            ["ConnectionStrings__redis"] = RedisConnectionString,
            ["Jwt__SigningKey"] = _secrets.JwtSigningKey,
        });
    }

    /// <summary>
    /// A new, empty database on the Postgres server, and a data source for it (the caller disposes it). Advisory locks
    /// and the migrators' journals are per database, so a service running on <c>warehousedb</c> takes no part.
    /// </summary>
    public async Task<NpgsqlDataSource> CreateDatabaseAsync()
    {
        var name = $"fresh_{Guid.NewGuid():N}";
        await using (var server = NpgsqlDataSource.Create(PostgresConnectionString))
        {
            await using var create = server.CreateCommand($"CREATE DATABASE {name}");
            await create.ExecuteNonQueryAsync();
        }

        return NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(PostgresConnectionString) { Database = name }.ConnectionString);
    }

    /// <summary>Starts a stopped server again on its address and waits until it is healthy.</summary>
    public Task StartAsync(string server) => Host.StartResourceAsync(server);

    /// <summary>Stops a server (an outage); clients keep its address.</summary>
    public Task StopAsync(string server) => Host.StopResourceAsync(server);

    /// <summary>Stops both servers, then removes the temp dir, restores the environment and releases the ports.</summary>
    public Task DisposeAsync() => Teardown.DisposeAllAsync(_host, _dataDir, _environment, _ports);

    private LocalAppHost Host => _host ?? throw new InvalidOperationException("not started");
}
