using EvolveDb;
using EvolveDb.Dialect;
using EvolveDb.Migration;
using Microsoft.Extensions.Logging.Abstractions;
using Warehouse.Data;
using Warehouse.ImportService.Model;

namespace Warehouse.ImportService.Tests;

/// <summary>V0003 (claims, leases, uploads in Postgres) on a database the single-copy version has been using.</summary>
[Collection(ImportServiceCollection.Name)]
public sealed class ImportClaimsMigrationTests(ImportServiceFixture fixture)
{
    [Fact]
    public async Task The_migration_applies_on_an_existing_database_and_ends_the_jobs_whose_file_only_the_old_version_had()
    {
        await using var copies = await ImportCopies.CreateAsync(fixture);
        await using (var connection = copies.Database.CreateConnection())
        {
            // The journal and scripts exactly as SchemaMigrator applies them, stopped at the single-copy version's last.
            new Evolve(connection, _ => { }, DBMS.PostgreSQL)
            {
                EmbeddedResourceAssemblies = [typeof(Program).Assembly],
                EmbeddedResourceFilters = ["ImportService.Migrations."],
                MetadataTableName = "changelog_importservice",
                TargetVersion = new MigrationVersion("2"),
            }.Migrate();
        }

        var finished = Guid.CreateVersion7();
        await copies.ScalarAsync("""
            INSERT INTO import_jobs (id, status, file_name, skip_invalid_rows, size_bytes, created_by, finished_at)
            VALUES ($1, 'succeeded', 'old.csv', false, 10, 'tester', now()), ($2, 'queued', 'old.csv', false, 10, 'tester', NULL),
                   ($3, 'running', 'old.csv', false, 10, 'tester', NULL)
            RETURNING 1
            """, finished, Guid.CreateVersion7(), Guid.CreateVersion7());

        await SchemaMigrator.MigrateAsync(copies.Database, typeof(Program).Assembly, NullLogger.Instance);

        Assert.Equal(1, await copies.ScalarAsync("SELECT count(*) FROM import_jobs WHERE status = $1", ImportStatuses.Succeeded));
        Assert.Equal(2, await copies.ScalarAsync(
            "SELECT count(*) FROM import_jobs WHERE status = 'failed' AND finished_at IS NOT NULL AND error LIKE 'Interrupted by the upgrade to shared imports:%upload the file again.'"));
        Assert.Equal(0, await copies.ScalarAsync("SELECT attempts FROM import_jobs WHERE id = $1", finished));

        // And a copy of this version runs on it.
        var copy = copies.Start();
        var warehouse = "MIG-" + Guid.NewGuid().ToString("N")[..8];
        var view = await copies.Planner(copy, warehouse).ImportAsync(ImportApiClient.Header + "\n" + ImportApiClient.Rows(warehouse, 3));
        Assert.Equal((ImportStatuses.Succeeded, 3L), (view.Job.Status, view.Job.ImportedRows));
    }
}
