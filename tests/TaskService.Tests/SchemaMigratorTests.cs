using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Warehouse.Data;
using Warehouse.Testing;

namespace Warehouse.TaskService.Tests;

/// <summary>
/// Taking over the old migrator's journal, each test on a fresh database of the fixture's Postgres server (advisory
/// locks are per database, so the running service does not take part). Copies of both services migrating at once:
/// ImportService.Tests' SharedSchemaMigrationTests.
/// </summary>
[Collection(TaskServiceCollection.Name)]
public sealed class SchemaMigratorTests(TaskServiceFixture fixture)
{
    private static readonly string[] Versions = ["0001", "0002", "0003", "0004", "0005"];

    /// <summary>The old migrator's journal ids (full resource names under the scripts' old file names), in order.</summary>
    private static readonly (string OldId, string Resource)[] OldIds =
    [
        ("TaskService.Migrations.0001_tasks.sql", "TaskService.Migrations.V0001__tasks.sql"),
        ("TaskService.Migrations.0002_record_scan.sql", "TaskService.Migrations.V0002__record_scan.sql"),
        ("TaskService.Migrations.0003_warehouse_scope.sql", "TaskService.Migrations.V0003__warehouse_scope.sql"),
    ];

    /// <summary>
    /// A database the hand-written migrator created (its table layout and script ids, verbatim), at its latest version
    /// or one behind, shared with the import service's ids: nothing it applied runs again (the scripts would fail on
    /// existing tables), the missing script runs, and the data stays.
    /// </summary>
    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    public async Task A_database_of_the_old_migrator_is_taken_over_without_applying_anything_twice(int appliedByOldMigrator)
    {
        await using var database = await fixture.Data.CreateDatabaseAsync();
        await ExecuteAsync(database, "CREATE TABLE schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
        foreach (var (oldId, resource) in OldIds.Take(appliedByOldMigrator))
        {
            using var script = new StreamReader(typeof(Program).Assembly.GetManifestResourceStream(resource)!);
            await ExecuteAsync(database, await script.ReadToEndAsync());
            await ExecuteAsync(database, "INSERT INTO schema_migrations (id) VALUES ($1)", oldId);
        }

        await ExecuteAsync(database, "INSERT INTO schema_migrations (id) VALUES ('ImportService.Migrations.0001_import_jobs.sql'), ('ImportService.Migrations.0002_import_scope.sql')");
        var task = Guid.NewGuid();
        await ExecuteAsync(database, "INSERT INTO tasks (id, warehouse_id, type, sku, quantity, from_location, status) VALUES ($1, 'W1', 'pick', 'S', 3, 'A-01', 'open')", task);

        await MigrateAsync(database);
        await MigrateAsync(database);

        Assert.Equal(Versions.Select(v => (v, true)), await JournalAsync(database));
        await using var count = database.CreateCommand("SELECT count(*) FROM tasks WHERE id = $1 AND quantity = 3").WithParameters(task);
        Assert.Equal(1L, await count.ExecuteScalarAsync());
        await using var scope = database.CreateCommand("SELECT count(*) FROM pg_proc WHERE proname = 'record_scan_in_any_warehouse'");
        Assert.Equal(1L, await scope.ExecuteScalarAsync());
    }

    private static Task MigrateAsync(NpgsqlDataSource database) =>
        SchemaMigrator.MigrateAsync(database, typeof(Program).Assembly, NullLogger.Instance);

    /// <summary>The versioned migrations Evolve recorded for the task service, in the order it recorded them.</summary>
    private static async Task<List<(string Version, bool Success)>> JournalAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand("SELECT version, success FROM changelog_taskservice WHERE type = 0 ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, bool)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetBoolean(1)));
        }

        return rows;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource database, string sql, params object?[] parameters)
    {
        await using var command = database.CreateCommand(sql).WithParameters(parameters);
        await command.ExecuteNonQueryAsync();
    }
}
