extern alias taskservice;

using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Warehouse.Data;

namespace Warehouse.ImportService.Tests;

/// <summary>
/// Both services' migrations on one database, as a host that starts several copies of every service at once would run
/// them: TaskService's own the tasks schema (tasks, warehouse_sequences, next_warehouse_sequence), which an import
/// writes through, ImportService's its job tables. Each test on a fresh database of the fixture's Postgres server
/// (advisory locks are per database, so the running service does not take part).
/// </summary>
[Collection(ImportServiceCollection.Name)]
public sealed class SharedSchemaMigrationTests(ImportServiceFixture fixture)
{
    private const int CopiesOfEach = 4;

    private static readonly Assembly[] Services = [typeof(taskservice::Program).Assembly, typeof(Program).Assembly];

    [Fact]
    public async Task Copies_of_both_services_starting_at_once_apply_each_migration_exactly_once()
    {
        await using var database = await fixture.Data.CreateDatabaseAsync();

        // Evolve runs synchronously: each copy on its own thread, as separate processes would, the two services'
        // copies interleaved. Any copy's failure fails the test.
        await Task.WhenAll(Enumerable.Range(0, CopiesOfEach).SelectMany(_ => Services).Select(service => Task.Run(() => MigrateAsync(database, service))));

        foreach (var service in Services)
        {
            Assert.Equal(Versions(service).Select(version => (version, true)), await JournalAsync(database, service));
        }

        // Complete: the same tables, columns, constraints, indexes and functions as one copy of each, one after the other.
        await using var reference = await fixture.Data.CreateDatabaseAsync();
        foreach (var service in Services)
        {
            await MigrateAsync(reference, service);
        }

        var catalog = await CatalogAsync(database);
        Assert.Equal(await CatalogAsync(reference), catalog);
        Assert.Contains("relation r tasks", catalog);
        Assert.Contains(catalog, line => line.StartsWith("function next_warehouse_sequence(text) ", StringComparison.Ordinal));
    }

    private static Task MigrateAsync(NpgsqlDataSource database, Assembly service) =>
        SchemaMigrator.MigrateAsync(database, service, NullLogger.Instance);

    /// <summary>The versions of the service's scripts (<c>Service.Migrations.V0001__name.sql</c>), in order.</summary>
    private static IEnumerable<string> Versions(Assembly service)
    {
        var prefix = $"{service.GetName().Name}.Migrations.V";
        return service.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(name => name[prefix.Length..name.IndexOf("__", StringComparison.Ordinal)])
            .Order(StringComparer.Ordinal);
    }

    /// <summary>The versioned migrations Evolve recorded in the service's journal, in the order it recorded them.</summary>
    private static async Task<List<(string Version, bool Success)>> JournalAsync(NpgsqlDataSource database, Assembly service)
    {
        await using var command = database.CreateCommand(
            $"SELECT version, success FROM changelog_{service.GetName().Name!.ToLowerInvariant()} WHERE type = 0 ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, bool)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetBoolean(1)));
        }

        return rows;
    }

    /// <summary>Every object of the public schema, one line each, functions with a hash of their body.</summary>
    private static async Task<List<string>> CatalogAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand("""
            SELECT format('relation %s %s', relkind, relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace
            UNION ALL
            SELECT format('column %s.%s %s %s %s', table_name, column_name, data_type, is_nullable, column_default)
            FROM information_schema.columns WHERE table_schema = 'public'
            UNION ALL
            SELECT format('constraint %s %s', conrelid::regclass, pg_get_constraintdef(oid)) FROM pg_constraint WHERE connamespace = 'public'::regnamespace
            UNION ALL
            SELECT format('index %s', pg_get_indexdef(indexrelid)) FROM pg_index JOIN pg_class ON pg_class.oid = indexrelid WHERE relnamespace = 'public'::regnamespace
            UNION ALL
            SELECT format('function %s %s', oid::regprocedure, md5(prosrc)) FROM pg_proc WHERE pronamespace = 'public'::regnamespace
            ORDER BY 1
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }
}
