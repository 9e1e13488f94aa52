using Microsoft.Extensions.DependencyInjection;

namespace Warehouse.ServiceDefaults.Http;

/// <summary>
/// A server a request may need (Postgres, Redis): its name, as problem details and logs give it, how to tell its
/// outage from any other exception, and what to do when a request meets one (<see cref="Met"/>: drop the pool's
/// connections that died with the server). A request that fails on an outage answers 503 with <c>Retry-After</c>
/// (<see cref="DependencyOutageExceptionHandler"/>), never 500.
/// </summary>
public sealed record DependencyOutage(string Dependency, Func<Exception, bool> Recognises, Action<IServiceProvider>? Met)
{
    /// <summary>
    /// What clients are told to wait: a restarted Postgres or Redis accepts connections again within a few seconds
    /// (both restart in about 2 s on this platform's machines), and a client that comes back sooner meets another 503.
    /// </summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);
}

public static class DependencyOutageExtensions
{
    /// <summary>Answers a request failed by <paramref name="dependency"/>'s outage with a 503 naming it.</summary>
    public static IServiceCollection AddDependencyOutage(
        this IServiceCollection services, string dependency, Func<Exception, bool> recognises, Action<IServiceProvider>? met = null) =>
        services.AddSingleton(new DependencyOutage(dependency, recognises, met));
}
