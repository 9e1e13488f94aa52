using System.Globalization;
using Warehouse.Testing;

namespace Warehouse.Bench;

/// <summary>
/// A healthy platform left idle: which alerts (other than Watchdog) were pending or firing at any rule evaluation of
/// the window, what the alert inbox received, and whether any notification failed. The expected answer is none, the
/// heartbeat, and zero.
/// </summary>
public static class IdleAlerts
{
    public static async Task RunAsync(BenchPlatform bench, BenchOptions options)
    {
        using var monitoring = new MonitoringClient(bench.Url("prometheus"), bench.Url("alertmanager"), bench.Secrets.MonitoringAuthorization);
        var inbox = new AlertInboxClient(bench.Host.Endpoint("alertinbox"));
        Console.WriteLine($"idle for {options.Minutes} min, nothing but the platform's own probes and scrapes");
        for (var minute = 1; minute <= options.Minutes; minute++)
        {
            await Task.Delay(TimeSpan.FromMinutes(1));
            var now = await monitoring.QueryAsync("ALERTS{alertname!=\"Watchdog\"}");
            Console.WriteLine($"  minute {minute,2}: {now.Length} alert(s) pending or firing besides Watchdog {string.Join(", ", now.Select(Describe))}");
        }

        var window = $"{options.Minutes}m";
        var seen = await monitoring.QueryAsync($"count_over_time(ALERTS{{alertname!=\"Watchdog\"}}[{window}])");
        var watchdog = await monitoring.ScalarAsync($"count_over_time(ALERTS{{alertname=\"Watchdog\",alertstate=\"firing\"}}[{window}])");
        var failed = await monitoring.ScalarAsync("sum(alertmanager_notifications_failed_total)");
        var deliveries = await inbox.DeliveriesAsync();

        Console.WriteLine($"over {window}: alerts other than Watchdog seen at any evaluation: {seen.Length} {string.Join(", ", seen.Select(Describe))}");
        Console.WriteLine($"  Watchdog firing at {watchdog ?? "0"} evaluations");
        Console.WriteLine($"  notifications failed (all receivers): {failed ?? "absent"}");
        Console.WriteLine($"  alert inbox: {deliveries.Count} deliveries: "
            + string.Join(", ", deliveries.GroupBy(d => (d.Channel, d.Summary)).Select(g => $"{g.Key.Channel} '{g.Key.Summary}' × {g.Count()}")));
    }

    private static string Describe(System.Text.Json.JsonElement series)
    {
        var labels = series.GetProperty("metric");
        string Label(string name) => labels.TryGetProperty(name, out var value) ? value.GetString() ?? "" : "";
        // An instant ALERTS sample is 1; a count_over_time is the number of evaluations the alert was in that state.
        var count = int.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
        return $"{Label("alertname")}{{{Label("service")}{Label("instance")}}} {Label("alertstate")} ×{count}";
    }
}
