extern alias taskservice;

using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Warehouse.ServiceDefaults.Data;
using Warehouse.Testing;

namespace Warehouse.ImportService.Tests;

/// <summary>Postgres with the task service's schema (as if it had started first), Redis, and an in-process import service.</summary>
public sealed class ImportServiceFixture : IAsyncLifetime
{
    public DataInfrastructure Data { get; } = new();

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public NpgsqlDataSource Database { get; private set; } = null!;

    public HttpClient Client(string role) => Factory.CreateClient().WithToken(Data.Token(role));

    public async Task InitializeAsync()
    {
        await Data.InitializeAsync();
        Database = NpgsqlDataSource.Create(Data.PostgresConnectionString);
        await SchemaMigrator.MigrateAsync(Database, typeof(taskservice::Program).Assembly, NullLogger.Instance);
        Factory = StartService();
    }

    /// <summary>A fresh instance of the service, as after a restart.</summary>
    public WebApplicationFactory<Program> StartService()
    {
        var factory = new WebApplicationFactory<Program>();
        factory.CreateClient().Dispose();
        return factory;
    }

    public async Task<long> ScalarAsync(string sql, params object?[] parameters)
    {
        await using var command = Database.CreateCommand(sql).WithParameters(parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
        await Data.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ImportServiceCollection : ICollectionFixture<ImportServiceFixture>
{
    public const string Name = "importservice";
}
