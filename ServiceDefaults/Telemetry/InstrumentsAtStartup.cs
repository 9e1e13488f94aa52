using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A service's own instruments exist from its first scrape, not from their first event. Prometheus's <c>rate</c> and
/// <c>increase</c> cannot see a series' first sample, and OpenTelemetry creates a series on its first measurement:
/// without this, the first failed import or broadcast failure after a start would never count.
/// </summary>
public static class InstrumentsAtStartup
{
    /// <summary>
    /// Registers <typeparamref name="TInstruments"/> (the class that creates a service's instruments) as a singleton
    /// built when the host starts, so its constructor can set each known label set to zero (<see cref="StartAtZero"/>).
    /// </summary>
    public static IServiceCollection AddInstruments<TInstruments>(this IServiceCollection services)
        where TInstruments : class
    {
        services.AddSingleton<TInstruments>();
        services.AddHostedService<Creator<TInstruments>>();
        return services;
    }

    /// <summary>Records 0 for each value of <paramref name="tag"/>: the series exist, at zero, before the first event.</summary>
    public static void StartAtZero(this Counter<long> counter, string tag, IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            counter.Add(0, new KeyValuePair<string, object?>(tag, value));
        }
    }

    private sealed class Creator<TInstruments>(IServiceProvider services) : IHostedService
        where TInstruments : class
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<TInstruments>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
