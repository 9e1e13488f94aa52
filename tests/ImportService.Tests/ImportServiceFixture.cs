extern alias taskservice;

using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Warehouse.ServiceDefaults.Data;
using Warehouse.Testing;

namespace Warehouse.ImportService.Tests;

/// <summary>The import service on a database that has the task service's schema, as if that service had started first.</summary>
public sealed class ImportServiceFixture : ServiceFixture<Program>
{
    public NpgsqlDataSource Database { get; private set; } = null!;

    public async Task<long> ScalarAsync(string sql, params object?[] parameters)
    {
        await using var command = Database.CreateCommand(sql).WithParameters(parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public override async Task DisposeAsync()
    {
        await Database.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override async Task BeforeServiceStartsAsync()
    {
        Database = NpgsqlDataSource.Create(Data.PostgresConnectionString);
        await SchemaMigrator.MigrateAsync(Database, typeof(taskservice::Program).Assembly, NullLogger.Instance);
    }
}

[CollectionDefinition(Name)]
public sealed class ImportServiceCollection : ICollectionFixture<ImportServiceFixture>
{
    public const string Name = "importservice";
}
