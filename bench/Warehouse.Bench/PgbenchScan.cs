using System.Globalization;
using System.Text.RegularExpressions;
using Warehouse.Testing;

namespace Warehouse.Bench;

/// <summary>
/// The Postgres limit of the scan path: pgbench calling the same <c>record_scan</c> the task service calls, with the
/// same arguments (a new scan id, one of the bench's tasks, the token's warehouses), over as many connections as the
/// load generator uses. A lookup table maps pgbench's random integer to a task id; that primary-key lookup is the
/// only work pgbench adds.
/// </summary>
public sealed partial class PgbenchScan : IDisposable
{
    private const string LookupTable = "bench_scan_tasks";
    private readonly BenchPlatform _bench;
    private readonly TempDir _dir = new("warehouse-pgbench");
    private readonly string _script;

    private PgbenchScan(BenchPlatform bench, string script)
    {
        _bench = bench;
        _script = Path.Combine(_dir.Path, "record_scan.sql");
        File.WriteAllText(_script, script);
    }

    public static async Task<PgbenchScan> PrepareAsync(BenchPlatform bench, IReadOnlyList<Guid> taskIds, IReadOnlyList<string> warehouses)
    {
        var values = string.Join(",", taskIds.Select((id, i) => $"({i + 1}, '{id}')"));
        await BenchPostgres.PsqlAsync(bench, $"DROP TABLE IF EXISTS {LookupTable}; CREATE TABLE {LookupTable} (n int PRIMARY KEY, id uuid NOT NULL); INSERT INTO {LookupTable} VALUES {values}; ANALYZE {LookupTable};");
        var scope = "{" + string.Join(",", warehouses) + "}";
        return new PgbenchScan(bench, $"""
            \set n random(1, {taskIds.Count})
            SELECT * FROM record_scan(gen_random_uuid(), (SELECT id FROM {LookupTable} WHERE n = :n), 'SKU-1', 'A-01', 1, '{scope}'::text[]);
            """);
    }

    /// <summary>Transactions per second over <paramref name="connections"/> connections for <paramref name="duration"/>.</summary>
    public async Task<double> RunAsync(int connections, TimeSpan duration)
    {
        var result = await Tool.RunAsync("pgbench",
            [.. BenchPostgres.ConnectionArguments(_bench), "-n", "-M", "prepared", "-c", connections.ToString(CultureInfo.InvariantCulture), "-j", "2",
             "-T", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture), "-f", _script, BenchPostgres.Database],
            environment: BenchPostgres.Environment(_bench), timeout: duration + TimeSpan.FromMinutes(1));
        return result.ExitCode == 0 && Tps().Match(result.StdOut) is { Success: true } match
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"pgbench failed:\n{result}");
    }

    public void Dispose() => _dir.Dispose();

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();
}
