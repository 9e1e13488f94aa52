using System.Diagnostics;
using Warehouse.Contracts.Notifications;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

public sealed partial class PlatformScenarios
{
    [Fact, Order(1)]
    public async Task A_SignalR_client_through_the_gateway_receives_the_update_a_scan_causes_within_a_second()
    {
        var warehouse = Traffic.NewWarehouse("RT");
        await using var handheld = await platform.ConnectAsync("operator", warehouse);
        var task = await Traffic.CreateTaskAsync(platform.Client("planner"), warehouse);
        var id = task.GetProperty("id").GetGuid();
        await handheld.WaitForAsync("notification", n => n.GetProperty("type").GetString() == NotificationTypes.TaskCreated, TimeSpan.FromSeconds(5));

        var clock = Stopwatch.StartNew();
        (await Traffic.ScanAsync(platform.Client("operator", warehouse), id, 2)).EnsureSuccessStatusCode();
        var update = await handheld.WaitForAsync("notification",
            n => n.GetProperty("type").GetString() == NotificationTypes.TaskUpdated && n.GetProperty("data").GetProperty("id").GetGuid() == id,
            TimeSpan.FromSeconds(10));
        var latency = clock.Elapsed;

        output.WriteLine($"scan → SignalR notification through the gateway: {latency.TotalMilliseconds:F0} ms");
        Assert.True(latency < TimeSpan.FromSeconds(1), $"the update took {latency.TotalMilliseconds:F0} ms (requirement: within one second)");
        Assert.Equal(2, update.GetProperty("data").GetProperty("quantityDone").GetInt32());
        Assert.Equal(2, update.GetProperty("sequence").GetInt64());
    }

    [Fact, Order(5)]
    public async Task Without_Redis_RedisDown_pages_health_degrades_and_afterwards_clients_notice_the_gap_and_resynchronise()
    {
        var warehouse = Traffic.NewWarehouse("RDS");
        var operatorClient = platform.Client("operator", warehouse);
        await using var handheld = await platform.ConnectAsync("operator", warehouse);
        var mirror = new WarehouseMirror(operatorClient, warehouse);
        await mirror.LoadAsync();
        var id = (await Traffic.CreateTaskAsync(platform.Client("planner"), warehouse, quantity: 50)).GetProperty("id").GetGuid();
        await mirror.ApplyAsync(await handheld.WaitForAsync("notification", _ => true, TimeSpan.FromSeconds(5)));

        var stoppedAt = DateTime.UtcNow;
        await platform.Platform.StopComponentAsync("redis");
        using var probe = new HttpClient();
        await Eventually.TrueAsync(async () =>
            (await probe.GetStringAsync(platform.Platform.Url("taskservice") + "/health")).Contains("\"status\":\"Degraded\""),
            TimeSpan.FromSeconds(15), "taskservice /health degraded");
        (await Traffic.ScanAsync(operatorClient, id, 2)).EnsureSuccessStatusCode();

        var bound = Config.AlertFor("RedisDown") + Pipeline("redis") + Config.GroupWait("critical") + Slack;
        var page = await platform.Webhook.WaitForAsync(
            d => d.Path == "/slack/critical" && d.ReceivedAt > stoppedAt && d.Body.Contains("[FIRING:1] RedisDown"), bound, "RedisDown page");
        Report("Redis stopped → RedisDown page at the webhook", page.ReceivedAt - stoppedAt, bound);
        Assert.Empty(handheld.Drain());

        await platform.Platform.StartComponentAsync("redis");
        var scanned = 2;
        await Eventually.TrueAsync(async () =>
        {
            (await Traffic.ScanAsync(operatorClient, id, 1)).EnsureSuccessStatusCode();
            scanned++;
            foreach (var message in await WaitBrieflyAsync(handheld))
            {
                await mirror.ApplyAsync(message.Argument);
            }

            return mirror.Resyncs > 0;
        }, TimeSpan.FromSeconds(45), "realtime delivery after Redis returned");

        var current = new WarehouseMirror(operatorClient, warehouse);
        await current.LoadAsync();
        Assert.Equal(1, mirror.Resyncs);
        Assert.Equal(current.Sequence, mirror.Sequence);
        Assert.Equal(scanned, mirror.Tasks[id].GetProperty("quantityDone").GetInt32());
    }

    private static async Task<IReadOnlyList<HubMessage>> WaitBrieflyAsync(HubClient client)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(700));
        return client.Drain();
    }
}
