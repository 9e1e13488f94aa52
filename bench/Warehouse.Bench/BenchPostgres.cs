using System.Globalization;
using Warehouse.Testing;

namespace Warehouse.Bench;

/// <summary>The platform's Postgres as psql and pgbench reach it: its port, the superuser and its password.</summary>
public static class BenchPostgres
{
    public const string Database = "warehousedb";

    public static string[] ConnectionArguments(BenchPlatform bench) =>
        ["-h", "127.0.0.1", "-p", bench.Host.Endpoint("postgres", "tcp").Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres"];

    public static Dictionary<string, string> Environment(BenchPlatform bench) => new() { ["PGPASSWORD"] = bench.Secrets.PostgresPassword };

    /// <summary>Runs <paramref name="command"/> (SQL or a psql meta-command such as <c>\copy</c>); throws with psql's output when it fails.</summary>
    public static async Task PsqlAsync(BenchPlatform bench, string command)
    {
        var result = await Tool.RunAsync("psql", [.. ConnectionArguments(bench), "-d", Database, "-v", "ON_ERROR_STOP=1", "-q", "-c", command],
            environment: Environment(bench), timeout: TimeSpan.FromMinutes(10));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"psql failed:\n{result}");
        }
    }
}
