extern alias taskservice;

using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Warehouse.Data;
using Warehouse.Testing;

namespace Warehouse.ImportService.Tests;

/// <summary>The import service on a database that has the task service's schema, as if that service had started first.</summary>
public sealed class ImportServiceFixture : ServiceFixture<Program>
{
    private NpgsqlDataSource? _database;

    public NpgsqlDataSource Database => _database ?? throw new InvalidOperationException("The database is not set up yet.");

    public async Task<long> ScalarAsync(string sql, params object?[] parameters)
    {
        await using var command = Database.CreateCommand(sql).WithParameters(parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public override Task DisposeAsync() => Teardown.RunAsync(() => Teardown.DisposeAllAsync(_database), base.DisposeAsync);

    protected override async Task BeforeServiceStartsAsync()
    {
        _database = NpgsqlDataSource.Create(Data.PostgresConnectionString);
        await SchemaMigrator.MigrateAsync(_database, typeof(taskservice::Program).Assembly, NullLogger.Instance);
    }
}

[CollectionDefinition(Name)]
public sealed class ImportServiceCollection : ICollectionFixture<ImportServiceFixture>
{
    public const string Name = "importservice";
}
