using Microsoft.Extensions.Logging;

namespace Warehouse.ServiceDefaults.Http;

/// <summary>
/// Logs a dependency's outage once per burst of failed requests, not once per request: a Postgres outage under load
/// wrote 3,632 stack traces that all said the same thing. A burst ends after <see cref="Quiet"/> without a failure;
/// how many requests it failed is in the request metrics (status 503).
/// </summary>
public sealed class OutageLog(TimeProvider time, ILogger<OutageLog> logger)
{
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, DateTimeOffset> _lastFailure = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private const string Answers503 = "requests that need it answer 503 until it is back";

    /// <summary>
    /// Records a request that <paramref name="dependency"/>'s outage failed (or, with <paramref name="consequence"/>,
    /// served in a degraded way); the first of a burst is logged.
    /// </summary>
    public void Failed(string dependency, Exception exception, string consequence = Answers503)
    {
        var now = time.GetUtcNow();
        bool startsBurst;
        lock (_lock)
        {
            startsBurst = !_lastFailure.TryGetValue(dependency, out var last) || now - last > Quiet;
            _lastFailure[dependency] = now;
        }

        if (startsBurst)
        {
            // The reason without the stack: where the client noticed the outage says nothing about its cause.
            logger.LogWarning("{Dependency} is unavailable ({Reason}); {Consequence}", dependency, Reason(exception), consequence);
        }
    }

    private static string Reason(Exception exception) =>
        exception.InnerException is { } inner ? $"{exception.Message} <- {Reason(inner)}" : exception.Message;
}
