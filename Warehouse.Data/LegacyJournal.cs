using EvolveDb.Migration;
using Npgsql;

namespace Warehouse.Data;

/// <summary>
/// The journal of the hand-written migrator used before Evolve: one table, <c>schema_migrations (id text PRIMARY KEY,
/// applied_at timestamptz)</c>, shared by the services, whose ids are the scripts' full resource names under their
/// old file names (<c>TaskService.Migrations.0001_tasks.sql</c>, now <c>V0001__tasks.sql</c>). A database it created
/// is taken over once per service, when that table exists and the service's Evolve journal does not yet: Evolve then
/// records the scripts listed here as applied without running them. Nothing writes to the old table any more.
/// </summary>
internal static class LegacyJournal
{
    /// <summary>The last version the old journal lists for this service, or null when there is nothing to take over.</summary>
    public static async Task<MigrationVersion?> TakeOverThroughAsync(
        NpgsqlConnection connection, string service, string journal, IReadOnlyList<(string Name, MigrationVersion Version)> scripts, CancellationToken cancellationToken)
    {
        if (!await PendingAsync(connection, journal, cancellationToken))
        {
            return null;
        }

        var prefix = $"{service}.Migrations.";
        await using var command = new NpgsqlCommand("SELECT id FROM schema_migrations WHERE starts_with(id, $1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = prefix });
        var applied = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetString(0));
            }
        }

        if (applied.Count == 0)
        {
            return null;
        }

        // The old migrator applied scripts in name order, so what it lists must be exactly the first scripts: checked,
        // so that no script is ever recorded as applied without having run.
        var taken = scripts.Take(applied.Count).ToList();
        if (!taken.Select(s => prefix + OldName(s.Name)).ToHashSet(StringComparer.Ordinal).SetEquals(applied))
        {
            throw new InvalidOperationException(
                $"schema_migrations lists {string.Join(", ", applied.Order(StringComparer.Ordinal))}, which are not the first {applied.Count} of " +
                $"{service}'s scripts ({string.Join(", ", scripts.Select(s => s.Name))}): the old journal cannot be taken over.");
        }

        return taken[^1].Version;
    }

    /// <summary><c>V0001__tasks.sql</c> was <c>0001_tasks.sql</c>.</summary>
    private static string OldName(string name) => name[1..].Replace("__", "_", StringComparison.Ordinal);

    /// <summary>Whether the old journal exists and this service's Evolve journal does not yet.</summary>
    private static async Task<bool> PendingAsync(NpgsqlConnection connection, string journal, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL AND to_regclass($1) IS NULL", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = journal });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
