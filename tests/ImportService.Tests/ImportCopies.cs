extern alias taskservice;

using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Warehouse.Data;
using Warehouse.ImportService.Importing;
using Warehouse.Security;
using Warehouse.Testing;

namespace Warehouse.ImportService.Tests;

/// <summary>
/// Copies of the import service, each a host of its own with its own owner id, on a fresh database of the fixture's
/// Postgres server that has the task service's schema: no other copy (the collection's service) claims their jobs.
/// </summary>
public sealed class ImportCopies(ImportServiceFixture fixture, NpgsqlDataSource database, string connectionString) : IAsyncDisposable
{
    private readonly List<WebApplicationFactory<Program>> _copies = [];

    public NpgsqlDataSource Database { get; } = database;

    public static async Task<ImportCopies> CreateAsync(ImportServiceFixture fixture)
    {
        var database = await fixture.Data.CreateDatabaseAsync();
        await SchemaMigrator.MigrateAsync(database, typeof(taskservice::Program).Assembly, NullLogger.Instance);
        var connectionString = new NpgsqlConnectionStringBuilder(fixture.Data.PostgresConnectionString)
        {
            Database = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database,
        }.ConnectionString;
        return new ImportCopies(fixture, database, connectionString);
    }

    /// <summary>This service's migrations, as its first copy applies them on start (for a test that writes jobs first).</summary>
    public Task MigrateAsync() => SchemaMigrator.MigrateAsync(Database, typeof(Program).Assembly, NullLogger.Instance);

    /// <summary>
    /// A started copy. Without a worker it only serves the API (it queues and cancels, runs nothing): the copy that
    /// received a job is then certainly not the one that runs it.
    /// </summary>
    public WebApplicationFactory<Program> Start(bool worker = true, TimeSpan? lease = null, TimeSpan? poll = null)
    {
        var copy = fixture.StartService(builder =>
        {
            builder.UseSetting("ConnectionStrings:warehousedb", connectionString);
            if (lease is { } leaseDuration)
            {
                builder.UseSetting("Imports:LeaseDuration", leaseDuration.ToString("c"));
            }

            if (poll is { } pollInterval)
            {
                builder.UseSetting("Imports:PollInterval", pollInterval.ToString("c"));
            }

            if (!worker)
            {
                builder.ConfigureTestServices(services => services.Remove(services.Single(s => s.ImplementationType == typeof(ImportWorker))));
            }
        });
        _copies.Add(copy);
        return copy;
    }

    public static string OwnerId(WebApplicationFactory<Program> copy) => copy.Services.GetRequiredService<ImportCopy>().Id;

    /// <summary>A planner of <paramref name="warehouses"/> talking to <paramref name="copy"/>.</summary>
    public HttpClient Planner(WebApplicationFactory<Program> copy, params string[] warehouses) =>
        fixture.ClientOf(copy, Roles.Planner, warehouses);

    /// <summary>Stops one copy as a deploy would (its host shuts down gracefully).</summary>
    public async Task StopAsync(WebApplicationFactory<Program> copy)
    {
        _copies.Remove(copy);
        await copy.DisposeAsync();
    }

    public async Task<long> ScalarAsync(string sql, params object?[] parameters)
    {
        await using var command = Database.CreateCommand(sql).WithParameters(parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async Task<T?> ValueAsync<T>(string sql, params object?[] parameters)
    {
        await using var command = Database.CreateCommand(sql).WithParameters(parameters);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? default : (T?)value;
    }

    public async ValueTask DisposeAsync() => await Teardown.DisposeAllAsync([.. _copies, Database]);
}
