using System.Reflection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Warehouse.Data;

/// <summary>
/// Applies a service's embedded <c>Migrations/*.sql</c> scripts in name order, each once and in its own transaction.
/// An advisory lock serialises concurrent starts (two instances, or two services sharing the database).
/// </summary>
public static class SchemaMigrator
{
    private const long LockKey = 0x5741524548; // "WAREH"

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, Assembly assembly, ILogger logger, CancellationToken cancellationToken = default)
    {
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.Contains(".Migrations.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

        await using var connection = await OpenWithRetryAsync(dataSource, cancellationToken);
        await Execute(connection, null, $"SELECT pg_advisory_lock({LockKey})", cancellationToken);
        try
        {
            await Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", cancellationToken);
            foreach (var script in scripts)
            {
                // The full resource name keeps two services' "0001_*.sql" apart in the shared table.
                var id = script;
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using var check = new NpgsqlCommand("INSERT INTO schema_migrations (id) VALUES ($1) ON CONFLICT DO NOTHING", connection, transaction);
                check.Parameters.Add(new NpgsqlParameter { Value = id });
                if (await check.ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    continue;
                }

                await using var stream = assembly.GetManifestResourceStream(script)!;
                using var reader = new StreamReader(stream);
                await Execute(connection, transaction, await reader.ReadToEndAsync(cancellationToken), cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Applied migration {Migration}", id);
            }
        }
        finally
        {
            await Execute(connection, null, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
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

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
