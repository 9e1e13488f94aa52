using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

public sealed partial class PlatformScenarios
{
    /// <summary>
    /// On this machine every receiver delivers to the platform's alert inbox, so the heartbeat arrives where a person
    /// can see it and no notification fails to send (which would fire AlertmanagerFailedToSendAlerts on an idle
    /// platform and teach people to ignore alerts).
    /// </summary>
    [Fact]
    public async Task Watchdog_reaches_the_alert_inbox_and_no_notification_fails_to_send()
    {
        var bound = TimeSpan.FromMinutes(1) + Pipeline("prometheus") + Slack;
        var heartbeat = await platform.Inbox.WaitForAsync(d => d.Channel == "/heartbeat" && d.Summary == "firing: Watchdog", bound, "Watchdog heartbeat");
        output.WriteLine($"Watchdog in the alert inbox at {heartbeat.ReceivedAt:HH:mm:ss}");

        // Scraped after that delivery, Alertmanager's counters show it and show that nothing, to any receiver, failed.
        await Eventually.TrueAsync(
            async () => (await platform.Monitoring.ScalarAsync("sum(alertmanager_notifications_total{integration=\"webhook\"})")) is { } sent && double.Parse(sent, System.Globalization.CultureInfo.InvariantCulture) > 0,
            Pipeline("alertmanager") + Slack, "Alertmanager's webhook notifications counted in Prometheus");
        var failed = await platform.Monitoring.QueryAsync("alertmanager_notifications_failed_total");
        Assert.NotEmpty(failed);
        Assert.All(failed, series => Assert.True(series.GetProperty("value")[1].GetString() == "0",
            $"notifications failed: {series.GetProperty("metric")} = {series.GetProperty("value")[1]}"));
    }
}
