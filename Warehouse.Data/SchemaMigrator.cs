using System.Reflection;
using EvolveDb;
using EvolveDb.Dialect;
using EvolveDb.Migration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Warehouse.Data;

/// <summary>
/// Applies a service's embedded <c>Migrations/V*__*.sql</c> scripts with Evolve, in version order, each once and in
/// its own transaction. Each service keeps its own journal table (<c>changelog_&lt;service&gt;</c>), so two services
/// sharing a database never see each other's scripts.
/// </summary>
public static class SchemaMigrator
{
    // The key the hand-written migrator locked, still taken around Evolve for two reasons: Evolve's own lock is held
    // only inside its Migrate call, while taking over the old journal must happen under the same lock as migrating;
    // and a copy still running the old migrator (a rolling upgrade) waits for this key, not for Evolve's.
    private const long LockKey = 0x5741524548; // "WAREH"

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, Assembly assembly, ILogger logger, CancellationToken cancellationToken = default)
    {
        // The SDK names embedded resources RootNamespace.Folder.File, and each service's root namespace is its name.
        var service = assembly.GetName().Name!;
        var journal = $"changelog_{service.ToLowerInvariant()}";

        await using var lockConnection = await OpenWithRetryAsync(dataSource, cancellationToken);
        await ExecuteAsync(lockConnection, $"SELECT pg_advisory_lock({LockKey})", cancellationToken);
        try
        {
            await using var connection = dataSource.CreateConnection();
            Evolve Configure(MigrationVersion? skipThrough) => new(connection, message => logger.LogInformation("Evolve: {Message}", message), DBMS.PostgreSQL)
            {
                EmbeddedResourceAssemblies = [assembly],
                EmbeddedResourceFilters = [$"{service}.Migrations."],
                MetadataTableName = journal,
                SkipNextMigrations = skipThrough is not null,
                TargetVersion = skipThrough ?? MigrationVersion.MaxVersion,
            };

            var scripts = Configure(null).MigrationLoader.GetMigrations().Select(m => (m.Name, m.Version!)).ToList();
            if (await LegacyJournal.TakeOverThroughAsync(lockConnection, service, journal, scripts, cancellationToken) is { } applied)
            {
                logger.LogInformation("Taking over the old schema_migrations journal: {Service} scripts through {Version} are already applied", service, applied.Label);
                Configure(applied).Migrate();
            }

            Configure(null).Migrate();
        }
        finally
        {
            await ExecuteAsync(lockConnection, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
        }
    }

    private static async Task<NpgsqlConnection> OpenWithRetryAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        // The database may still be starting when a host launches every process at once.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await dataSource.OpenConnectionAsync(cancellationToken);
            }
            catch (NpgsqlException) when (attempt < 30)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
