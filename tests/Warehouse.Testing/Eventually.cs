using System.Diagnostics;
using System.Net.Sockets;

namespace Warehouse.Testing;

/// <summary>Polls a condition that a real process reaches asynchronously; fails with a clear timeout.</summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>Polls <paramref name="condition"/> until it holds.</summary>
    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string? because = null) =>
        TrueAsync(() => Task.FromResult(condition()), timeout, because);

    /// <summary>Polls <paramref name="condition"/> until it holds; <paramref name="because"/> describes what was seen when it never did.</summary>
    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, Func<string> because) =>
        TrueAsync(() => Task.FromResult(condition()), timeout, because);

    /// <summary>Polls <paramref name="condition"/> until it holds.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string? because = null) =>
        TrueAsync(condition, timeout, () => because ?? "");

    /// <summary>Polls <paramref name="condition"/> until it holds; <paramref name="because"/> describes what was seen when it never did.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> because) =>
        FoundAsync(async () => await condition() ? Met.Value : null, timeout, because);

    /// <summary>Polls <paramref name="probe"/> until it returns something, and returns that.</summary>
    public static Task<T> FoundAsync<T>(Func<T?> probe, TimeSpan timeout, Func<string> because) where T : class =>
        FoundAsync(() => Task.FromResult(probe()), timeout, because);

    /// <summary>Polls <paramref name="probe"/> until it returns something, and returns that.</summary>
    public static async Task<T> FoundAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, Func<string> because) where T : class
    {
        var clock = Stopwatch.StartNew();
        Exception? unanswered = null;
        while (true)
        {
            try
            {
                if (await probe() is { } found)
                {
                    return found;
                }

                unanswered = null;
            }
            catch (Exception ex) when (ex is HttpRequestException { StatusCode: null } or TaskCanceledException or SocketException)
            {
                // The component is not answering yet; keep polling until the deadline. An answer with an error status
                // is a result, not silence: it fails at once.
                unanswered = ex;
            }

            if (clock.Elapsed > timeout)
            {
                var reason = because();
                var lastError = unanswered is null ? "" : $" Last error: {unanswered.Message}";
                throw new TimeoutException($"Condition not met within {timeout}{(reason.Length == 0 ? "" : ": " + reason)}.{lastError}");
            }

            await Task.Delay(Interval);
        }
    }

    /// <summary>The value a bool condition stands for once it holds.</summary>
    private sealed class Met
    {
        public static readonly Met Value = new();
    }
}
