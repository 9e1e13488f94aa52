namespace Warehouse.EndToEnd.Tests;

public sealed partial class ReplicaScenarios
{
    /// <summary>The services that migrate the shared database at start, by project folder; each keeps its own Evolve journal.</summary>
    private static readonly string[] MigratingServices = ["TaskService", "ImportService"];

    /// <summary>
    /// The fixture's start was the first, on an empty database, with both task-service copies migrating at once: each
    /// service's journal holds each of its scripts once, applied successfully. The whole platform is then stopped and
    /// started again on the same data, every copy at once, and the journals are unchanged: nothing was applied again.
    /// </summary>
    [Fact]
    public async Task Restarting_the_whole_platform_with_two_copies_applies_every_migration_exactly_once()
    {
        var before = await JournalsAsync();
        foreach (var service in MigratingServices)
        {
            Assert.Equal(ScriptVersions(service).Select(version => (version, true)), before[service].Select(row => (row.Version, row.Success)));
        }

        await platform.RestartPlatformAsync();
        var after = await JournalsAsync();

        output.WriteLine("journal rows before and after the restart: " +
            string.Join(", ", MigratingServices.Select(service => $"{service} {before[service].Count} → {after[service].Count}")));
        foreach (var service in MigratingServices)
        {
            Assert.Equal(before[service], after[service]);
        }
    }

    /// <summary>The versions of the service's scripts (<c>Migrations/V0001__name.sql</c>), in order.</summary>
    private IEnumerable<string> ScriptVersions(string service) =>
        Directory.EnumerateFiles(Path.Combine(platform.RepoRoot, service, "Migrations"), "V*__*.sql")
            .Select(path => Path.GetFileName(path))
            .Select(name => name[1..name.IndexOf("__", StringComparison.Ordinal)])
            .Order(StringComparer.Ordinal);

    /// <summary>Each service's versioned migrations as Evolve recorded them (<c>changelog_&lt;service&gt;</c>), in the order it did.</summary>
    private async Task<Dictionary<string, List<(long Id, string Version, bool Success)>>> JournalsAsync()
    {
        await using var database = await platform.DatabaseAsync();
        var journals = new Dictionary<string, List<(long, string, bool)>>();
        foreach (var service in MigratingServices)
        {
            await using var command = database.CreateCommand($"SELECT id, version, success FROM changelog_{service.ToLowerInvariant()} WHERE type = 0 ORDER BY id");
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<(long, string, bool)>();
            while (await reader.ReadAsync())
            {
                rows.Add((Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), reader.GetString(1), reader.GetBoolean(2)));
            }

            journals[service] = rows;
        }

        return journals;
    }
}
