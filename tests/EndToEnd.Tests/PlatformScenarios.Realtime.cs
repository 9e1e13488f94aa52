using System.Diagnostics;
using System.Text.Json;
using Warehouse.Contracts.Notifications;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

public sealed partial class PlatformScenarios
{
    [Fact]
    public async Task A_SignalR_client_through_the_gateway_receives_the_update_a_scan_causes()
    {
        var warehouse = Traffic.NewWarehouse("RT");
        await using var handheld = await platform.ConnectAsync("operator", warehouse);
        var task = await Traffic.CreateTaskAsync(platform.Client("planner", warehouse), warehouse);
        var id = task.GetProperty("id").GetGuid();
        await handheld.WaitForAsync("notification", n => n.GetProperty("type").GetString() == NotificationTypes.TaskCreated, TimeSpan.FromSeconds(5));

        var clock = Stopwatch.StartNew();
        (await Traffic.ScanAsync(platform.Client("operator", warehouse), id, 2)).EnsureSuccessStatusCode();
        var update = await handheld.WaitForAsync("notification",
            n => n.GetProperty("type").GetString() == NotificationTypes.TaskUpdated && n.GetProperty("data").GetProperty("id").GetGuid() == id,
            TimeSpan.FromSeconds(10));

        // Latency is the bench's business (bench/); here it is only reported.
        output.WriteLine($"scan → SignalR notification through the gateway: {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(2, update.GetProperty("data").GetProperty("quantityDone").GetInt32());
        Assert.Equal(2, update.GetProperty("sequence").GetInt64());
    }

    [Fact]
    public async Task Without_Redis_RedisDown_pages_health_degrades_notifications_resume_and_clients_resynchronise_over_the_gap()
    {
        var warehouse = Traffic.NewWarehouse("RDS");
        var operatorClient = platform.Client("operator", warehouse);
        await using var handheld = await platform.ConnectAsync("operator", warehouse);
        var mirror = new WarehouseMirror(operatorClient, warehouse);
        await mirror.LoadAsync();
        var id = (await Traffic.CreateTaskAsync(platform.Client("planner", warehouse), warehouse, quantity: 50)).GetProperty("id").GetGuid();
        await mirror.ApplyAsync(await handheld.WaitForAsync("notification", _ => true, TimeSpan.FromSeconds(5)));

        var stoppedAt = DateTime.UtcNow;
        await platform.Host.StopResourceAsync("redis");
        try
        {
            using var probe = new HttpClient();
            await Eventually.TrueAsync(async () =>
                (await probe.GetStringAsync(platform.Url("taskservice") + "/health")).Contains("\"status\":\"Degraded\""),
                TimeSpan.FromSeconds(15), "taskservice /health degraded");

            // Written while Redis is away: committed, but its notification cannot be published.
            (await Traffic.ScanAsync(operatorClient, id, 2)).EnsureSuccessStatusCode();
            var lostSequence = mirror.Sequence + 1;

            var firing = Config.AlertFor("RedisDown") + Pipeline("redis") + Slack;
            await Eventually.TrueAsync(
                async () => (await platform.Monitoring.PrometheusAlertsAsync("RedisDown")).Length > 0,
                firing,
                () => $"RedisDown firing in Prometheus; redis_up is {platform.Monitoring.ScalarAsync("redis_up").GetAwaiter().GetResult() ?? "absent"}");
            var bound = Config.AlertFor("RedisDown") + Pipeline("redis") + Config.GroupWait("critical") + Slack;
            var page = await platform.Inbox.WaitForAsync(
                d => d.Channel == "/slack/critical" && d.ReceivedAt > stoppedAt && d.Body.Contains("[FIRING:1] RedisDown"), bound, "RedisDown page");
            Report("Redis stopped → RedisDown page in the alert inbox", page.ReceivedAt - stoppedAt, bound);

            await platform.Host.StartResourceAsync("redis");

            // Notifications resume: scan until one arrives (the worker resubscribes on its own schedule). The first one
            // that arrives is the positive signal that nothing of the outage was delivered: its sequence jumps the gap.
            var scanned = 2;
            JsonElement? first = null;
            await Eventually.TrueAsync(async () =>
            {
                (await Traffic.ScanAsync(operatorClient, id, 1)).EnsureSuccessStatusCode();
                scanned++;
                try
                {
                    first = await handheld.WaitForAsync("notification", _ => true, TimeSpan.FromSeconds(2));
                    return true;
                }
                catch (TimeoutException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(45), "a notification after Redis returned");

            Assert.True(first!.Value.GetProperty("sequence").GetInt64() > lostSequence,
                $"the first notification after the outage has sequence {first.Value.GetProperty("sequence").GetInt64()}; the outage's was {lostSequence}");
            await mirror.ApplyAsync(first.Value);

            var current = new WarehouseMirror(operatorClient, warehouse);
            await current.LoadAsync();
            Assert.Equal(1, mirror.Resyncs);
            Assert.Equal(current.Sequence, mirror.Sequence);
            Assert.Equal(scanned, mirror.Tasks[id].GetProperty("quantityDone").GetInt32());
        }
        finally
        {
            await platform.Host.StartResourceAsync("redis");
        }
    }
}
