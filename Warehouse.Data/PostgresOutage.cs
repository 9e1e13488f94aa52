using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Warehouse.Data;

/// <summary>
/// What an unreachable or overwhelmed Postgres looks like to a client: the server shutting down, starting, refusing
/// connections or out of them, or the connection breaking. Unlike a statement the server refused (a constraint, a
/// type), these pass when the server is back, so callers wait them out or answer 503, never 500.
/// </summary>
public static class PostgresOutage
{
    /// <summary>The dependency's name in problem details and logs.</summary>
    public const string Dependency = "postgres";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);

    public static bool Is(Exception exception) => exception switch
    {
        PostgresException postgres => IsOutageState(postgres.SqlState),
        // No server answer at all: refused or broken socket, a read that ended, a timeout, an exhausted pool.
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException,
        _ => false,
    } || (exception.InnerException is { } inner && Is(inner));

    /// <summary>
    /// Once an outage is seen: the pool's idle connections died with the server, and Npgsql would find that out one
    /// failed command at a time after it is back (a 503 each, up to the pool's size). They are dropped at once.
    /// </summary>
    public static void Met(NpgsqlDataSource dataSource) => dataSource.Clear();

    /// <summary>
    /// Runs <paramref name="action"/> until it completes, waiting out outages with exponential backoff (1 s doubling
    /// to 30 s). Each failed attempt is one warning without a stack trace: the outage is news, its stack is not.
    /// Anything else, and cancellation by <paramref name="ct"/>, propagates.
    /// </summary>
    public static async Task<T> WaitOutAsync<T>(
        NpgsqlDataSource dataSource, Func<CancellationToken, Task<T>> action, ILogger logger, string what, CancellationToken ct)
    {
        var delay = FirstRetry;
        while (true)
        {
            try
            {
                return await action(ct);
            }
            catch (Exception ex) when (Is(ex) && !ct.IsCancellationRequested)
            {
                Met(dataSource);
                logger.LogWarning("Postgres is unavailable while {Action} ({Reason}); retrying in {Delay}", what, ex.Message, delay);
                await Task.Delay(delay, ct);
                delay = delay * 2 < MaxRetry ? delay * 2 : MaxRetry;
            }
        }
    }

    /// <inheritdoc cref="WaitOutAsync{T}"/>
    public static Task WaitOutAsync(NpgsqlDataSource dataSource, Func<CancellationToken, Task> action, ILogger logger, string what, CancellationToken ct) =>
        WaitOutAsync(dataSource, async token => { await action(token); return true; }, logger, what, ct);

    // 08: connection exceptions; 57P01-57P03: admin or crash shutdown, cannot connect now (starting or stopping);
    // 53300: too many connections (a recovery stampede).
    private static bool IsOutageState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.TooManyConnections;
}
