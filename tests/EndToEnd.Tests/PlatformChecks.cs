using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;
using Xunit.Abstractions;

namespace Warehouse.EndToEnd.Tests;

/// <summary>
/// What scenarios ask of any running platform, with one copy of each service or several: the alerts Prometheus holds,
/// the pages the pager raised, and a killed resource's return.
/// </summary>
public static class PlatformChecks
{
    public static bool HasService(JsonElement alert, string service) =>
        alert.GetProperty("labels").TryGetProperty("service", out var label) && label.GetString() == service;

    /// <summary>Whether Prometheus holds the alert for the service, pending or firing.</summary>
    public static async Task<bool> AlertActiveAsync(this PlatformFixture platform, string alertname, string service) =>
        (await platform.Monitoring.PrometheusAlertsAsync(alertname, "pending")).Concat(await platform.Monitoring.PrometheusAlertsAsync(alertname))
            .Any(a => HasService(a, service));

    /// <summary>
    /// Kills <paramref name="resource"/> by <paramref name="kill"/> and returns how long it took to be healthy again,
    /// failing past <paramref name="bound"/>. The killed resource is Finished until the supervisor starts it again: the
    /// wait goes through that state rather than stopping at it.
    /// </summary>
    public static async Task<TimeSpan> KillAndAwaitRecoveryAsync(this PlatformFixture platform, string resource, Func<Task> kill, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        await kill();
        using var within = new CancellationTokenSource(bound);
        await platform.Host.App.ResourceNotifications.WaitForResourceHealthyAsync(resource, WaitBehavior.WaitOnResourceUnavailable, within.Token);
        return clock.Elapsed;
    }

    /// <summary>
    /// The pages the pager raised since <paramref name="since"/>, oldest first: what a person is woken by. PagerDuty opens
    /// an incident on a trigger whose dedup key (Alertmanager's group) has none open, and folds a trigger for an open one
    /// into it: Alertmanager's cluster delivers at least once, and a group's update (another alert joining it) is a
    /// second trigger of the same incident. A trigger after the group's resolve is a new page, and counts.
    /// </summary>
    public static async Task<List<string>> PagesSinceAsync(this PlatformFixture platform, DateTime since, ITestOutputHelper output)
    {
        var open = new HashSet<string>();
        var pages = new List<string>();
        var log = new List<string>();
        foreach (var delivery in (await platform.Inbox.DeliveriesAsync())
            .Where(d => d.Channel.StartsWith("/pagerduty/", StringComparison.Ordinal)).OrderBy(d => d.Id))
        {
            using var body = JsonDocument.Parse(delivery.Body);
            var key = body.RootElement.GetProperty("dedup_key").GetString()!;
            var trigger = body.RootElement.GetProperty("event_action").GetString() == "trigger";
            if (delivery.ReceivedAt > since)
            {
                log.Add($"{delivery.ReceivedAt:HH:mm:ss} {delivery.Summary}");
            }

            if (trigger && open.Add(key) && delivery.ReceivedAt > since)
            {
                pages.Add(Regex.Match(delivery.Summary, @"\[FIRING:\d+\] (\S+ on \S+)").Groups[1].Value);
            }
            else if (!trigger)
            {
                open.Remove(key);
            }
        }

        output.WriteLine($"pager since {since:HH:mm:ss}: {string.Join("; ", log.DefaultIfEmpty("nothing"))}");
        return pages;
    }
}
