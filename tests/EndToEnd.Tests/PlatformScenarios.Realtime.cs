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
        await (await Traffic.ScanAsync(platform.Client("operator", warehouse), id, 2)).ExpectAsync(System.Net.HttpStatusCode.OK);
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
        // The two clients the platform ships, following the warehouse as handhelds and web pages do.
        await using var view = await platform.StartViewAsync("operator", warehouse);
        await using var web = await TypeScriptWatcher.StartAsync(platform, "operator", warehouse);
        var id = (await Traffic.CreateTaskAsync(platform.Client("planner", warehouse), warehouse, quantity: 50)).GetProperty("id").GetGuid();
        await handheld.WaitForAsync("notification", _ => true, TimeSpan.FromSeconds(5));
        await view.WaitUntilAsync(v => v.Tasks.ContainsKey(id), TimeSpan.FromSeconds(5));
        await web.WaitForAsync(e => e.Tasks.ContainsKey(id), TimeSpan.FromSeconds(5), "the created task");
        Assert.Equal(0, view.Resyncs);

        var stoppedAt = DateTime.UtcNow;
        await platform.Host.StopResourceAsync("redis");
        try
        {
            using var probe = new HttpClient();
            await Eventually.TrueAsync(async () =>
                (await probe.GetStringAsync(platform.Url("taskservice") + "/health")).Contains("\"status\":\"Degraded\""),
                TimeSpan.FromSeconds(15), "taskservice /health degraded");

            // Written while Redis is away: committed, but its notification cannot be published.
            await (await Traffic.ScanAsync(operatorClient, id, 2)).ExpectAsync(System.Net.HttpStatusCode.OK);
            var lostSequence = view.Sequence + 1;

            var firing = TimeSpan.FromMinutes(1) + Config.AlertFor("RedisDown") + Pipeline("redis") + Slack;
            await Eventually.TrueAsync(
                async () => (await platform.Monitoring.PrometheusAlertsAsync("RedisDown")).Length > 0,
                firing,
                () => $"RedisDown firing in Prometheus; redis_up is {platform.Monitoring.ScalarAsync("redis_up").GetAwaiter().GetResult() ?? "absent"}");
            var bound = TimeSpan.FromMinutes(1) + Config.AlertFor("RedisDown") + Pipeline("redis") + Config.GroupWait("critical") + Slack;
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
                await (await Traffic.ScanAsync(operatorClient, id, 1)).ExpectAsync(System.Net.HttpStatusCode.OK);
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

            // Both clients noticed the gap, reloaded once, and hold what the outage swallowed.
            await view.WaitUntilAsync(v => v.Tasks[id].QuantityDone == scanned, TimeSpan.FromSeconds(10));
            var webState = await web.WaitForAsync(e => e.Tasks.GetValueOrDefault(id) == scanned, TimeSpan.FromSeconds(10), $"quantity done {scanned}");
            await using var fresh = await platform.StartViewAsync("operator", warehouse);
            Assert.Equal(1, view.Resyncs);
            Assert.Equal(fresh.Sequence, view.Sequence);
            Assert.Equal(1, webState.Resyncs);
            Assert.Equal(fresh.Sequence, webState.Sequence);
        }
        finally
        {
            await platform.Host.StartResourceAsync("redis");
        }
    }

    /// <summary>
    /// An import names its job, not its tasks: its tasks_imported notification (the warehouse's next sequence) makes
    /// both shipped clients reload, and they then hold the imported tasks.
    /// </summary>
    [Fact]
    public async Task After_an_import_the_shipped_clients_reload_and_hold_the_imported_tasks()
    {
        var warehouse = Traffic.NewWarehouse("IMR");
        await using var view = await platform.StartViewAsync("operator", warehouse);
        await using var web = await TypeScriptWatcher.StartAsync(platform, "operator", warehouse);
        var reasons = new System.Collections.Concurrent.ConcurrentQueue<Warehouse.Client.ResyncReason>();
        view.Resynchronised += reasons.Enqueue;

        var job = await Traffic.ImportAsync(platform.Client("planner", warehouse),
            $"warehouse_id,type,sku,quantity,from_location\n{warehouse},pick,SKU-1,1,A-01\n{warehouse},count,SKU-2,2,B-01\n");
        Assert.Equal(("succeeded", 2), (job.GetProperty("job").GetProperty("status").GetString(), job.GetProperty("job").GetProperty("importedRows").GetInt32()));

        await view.WaitUntilAsync(v => v.Tasks.Count == 2, TimeSpan.FromSeconds(10));
        var reloaded = await web.WaitForAsync(e => e.Event == "resync" && e.Tasks.Count == 2, TimeSpan.FromSeconds(10), "a reload holding the 2 imported tasks");
        Assert.Equal((1L, "Imported"), (view.Sequence, string.Join(",", reasons)));
        Assert.Equal(("imported", 1L), (reloaded.Reason, reloaded.Sequence));
    }

    [Fact]
    public async Task After_a_reconnect_the_shipped_clients_reload_what_they_missed()
    {
        var warehouse = Traffic.NewWarehouse("RCN");
        var operatorClient = platform.Client("operator", warehouse);
        await using var view = await platform.StartViewAsync("operator", warehouse);
        await using var web = await TypeScriptWatcher.StartAsync(platform, "operator", warehouse);
        var id = (await Traffic.CreateTaskAsync(platform.Client("planner", warehouse), warehouse, quantity: 50)).GetProperty("id").GetGuid();
        await view.WaitUntilAsync(v => v.Tasks.ContainsKey(id), TimeSpan.FromSeconds(5));
        await web.WaitForAsync(e => e.Tasks.ContainsKey(id), TimeSpan.FromSeconds(5), "the created task");

        // The realtime worker goes away: every connection drops; a scan meanwhile is committed and its notification lost.
        await platform.Host.StopResourceAsync("realtimeworker");
        try
        {
            await view.WaitUntilAsync(v => v.ConnectionState != Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected, TimeSpan.FromSeconds(15));
            await (await Traffic.ScanAsync(operatorClient, id, 3)).ExpectAsync(System.Net.HttpStatusCode.OK);
        }
        finally
        {
            await platform.Host.StartResourceAsync("realtimeworker");
        }

        // Back: both clients reconnect by themselves and reload, with no new notification to show them the gap.
        await view.WaitUntilAsync(v => v.Tasks[id].QuantityDone == 3, TimeSpan.FromSeconds(30));
        var caughtUp = await web.WaitForAsync(e => e.Event == "resync" && e.Reason == "reconnected" && e.Tasks.GetValueOrDefault(id) == 3,
            TimeSpan.FromSeconds(30), "a reload after the reconnect with quantity done 3");
        Assert.Equal(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected, view.ConnectionState);
        Assert.Equal(1, view.Resyncs);

        // Notifications flow again on the new connection: the next scan arrives as a change, not a reload.
        var resyncs = view.Resyncs;
        await (await Traffic.ScanAsync(operatorClient, id, 1)).ExpectAsync(System.Net.HttpStatusCode.OK);
        await view.WaitUntilAsync(v => v.Tasks[id].QuantityDone == 4, TimeSpan.FromSeconds(10));
        await web.WaitForAsync(e => e.Event == "change" && e.Tasks.GetValueOrDefault(id) == 4, TimeSpan.FromSeconds(10), "the next scan as a change");
        Assert.Equal(resyncs, view.Resyncs);
        Assert.Equal(caughtUp.Sequence + 1, web.Last!.Sequence);
    }
}
