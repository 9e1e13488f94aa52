using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Warehouse.Contracts.Notifications;
using Warehouse.RealtimeWorker.Hubs;
using Warehouse.RealtimeWorker.Relay;
using Warehouse.Security;
using Warehouse.Testing;

namespace Warehouse.RealtimeWorker.Tests;

[Collection(RealtimeCollection.Name)]
public sealed class TasksHubTests(RealtimeFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private static string NewWarehouse() => "RT-" + Guid.NewGuid().ToString("N")[..8];

    private static Task<JsonElement> Next(HubClient client) => client.WaitForAsync(NotificationRelay.ClientMethod, _ => true, Wait);

    [Fact]
    public async Task A_notification_on_Redis_reaches_the_clients_of_its_warehouse_only()
    {
        var (mine, other) = (NewWarehouse(), NewWarehouse());
        await using var handheld = await fixture.ConnectAsync(fixture.Data.Token(Roles.Operator, "op1", mine));
        await using var stranger = await fixture.ConnectAsync(fixture.Data.Token(Roles.Operator, "op2", other));
        await using var planner = await fixture.ConnectAsync(fixture.Data.Token(Roles.Admin, "admin1"));
        await planner.InvokeAsync(nameof(TasksHub.JoinWarehouse), mine);

        await fixture.Bus.PublishAsync(Notification.Channel, Notification.Create(NotificationTypes.TaskUpdated, mine, 7, new { id = "t1" }).ToJson());
        // Published after it on the same channel: had the first reached the stranger, it would come first.
        await fixture.Bus.PublishAsync(Notification.Channel, Notification.Create(NotificationTypes.TaskUpdated, other, 1, new { id = "sentinel" }).ToJson());

        var received = await Next(handheld);
        Assert.Equal((NotificationTypes.TaskUpdated, mine, 7L, "t1"),
            (received.GetProperty("type").GetString(), received.GetProperty("warehouseId").GetString(), received.GetProperty("sequence").GetInt64(), received.GetProperty("data").GetProperty("id").GetString()));
        var planners = await Next(planner);
        Assert.Equal((mine, 7L), (planners.GetProperty("warehouseId").GetString(), planners.GetProperty("sequence").GetInt64()));
        var strangers = await Next(stranger);
        Assert.Equal((other, "sentinel"), (strangers.GetProperty("warehouseId").GetString(), strangers.GetProperty("data").GetProperty("id").GetString()));
    }

    /// <summary>A client can time a change's way: the publisher's stamp passes through and the worker adds its send time.</summary>
    [Fact]
    public async Task A_relayed_notification_keeps_its_publish_time_and_carries_its_send_time()
    {
        var warehouse = NewWarehouse();
        await using var handheld = await fixture.ConnectAsync(fixture.Data.Token(Roles.Operator, "op1", warehouse));
        var published = DateTimeOffset.UtcNow;

        await fixture.Bus.PublishAsync(Notification.Channel,
            (Notification.Create(NotificationTypes.TaskCreated, warehouse, 1, new { id = "t1" }) with { PublishedAt = published }).ToJson());

        var received = await Next(handheld);
        var after = DateTimeOffset.UtcNow;
        Assert.Equal(published, received.GetProperty("publishedAt").GetDateTimeOffset());
        Assert.InRange(received.GetProperty("sentAt").GetDateTimeOffset(), published, after);
    }

    /// <summary>
    /// Import progress names a job and its counts: it goes to the planners and admins who may read the job over REST
    /// (their warehouses cover the job's; an admin's job, stored with "all", only to admins), and to no one else.
    /// </summary>
    [Theory]
    [InlineData(Roles.Planner, "A", "A", true)]
    [InlineData(Roles.Planner, "A,B", "A", true)]
    [InlineData(Roles.Admin, "", "A", true)]
    [InlineData(Roles.Admin, "", null, true)]
    [InlineData(Roles.Planner, "B", "A", false)]
    [InlineData(Roles.Planner, "", "A", false)]
    [InlineData(Roles.Planner, "A", "A,B", false)]
    [InlineData(Roles.Planner, "A", null, false)]
    [InlineData(Roles.Operator, "A", "A", false)]
    public async Task Import_progress_reaches_only_the_planners_whose_token_covers_the_job(string role, string tokenWarehouses, string? jobWarehouses, bool receives)
    {
        var prefix = NewWarehouse();
        string[] Named(string list) => [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(w => $"{prefix}-{w}")];
        await using var client = await fixture.ConnectAsync(fixture.Data.Token(role, "pl", Named(tokenWarehouses)));
        var jobId = Guid.NewGuid();
        var progress = new ImportProgress(jobId, "running", 10, 9, 1, jobWarehouses is null ? null : Named(jobWarehouses));

        var sentinel = await fixture.RelayThenSentinelAsync(Notification.Create(NotificationTypes.ImportProgress, "", 0, progress));

        var next = await Next(client);
        Assert.Equal(receives ? (NotificationTypes.ImportProgress, jobId) : (RealtimeFixture.SentinelType, sentinel),
            (next.GetProperty("type").GetString(), next.GetProperty("data").GetProperty(receives ? "jobId" : "sentinel").GetGuid()));
    }

    [Theory]
    [InlineData(Roles.Operator, "WH-A")]
    [InlineData(Roles.Planner, "WH-A")]
    [InlineData(Roles.Operator, null)]
    [InlineData(Roles.Planner, null)]
    public async Task A_client_cannot_join_a_warehouse_its_token_does_not_name_and_hears_nothing_from_it(string role, string? own)
    {
        var theirs = NewWarehouse();
        await using var client = await fixture.ConnectAsync(fixture.Data.Token(role, "outsider", own));

        var error = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => client.InvokeAsync(nameof(TasksHub.JoinWarehouse), theirs));
        Assert.EndsWith($"Your token does not cover warehouse {theirs}.", error.Message);

        // The refused join left nothing behind: a change there does not reach this client.
        var sentinel = await fixture.RelayThenSentinelAsync(Notification.Create(NotificationTypes.TaskUpdated, theirs, 1, new { id = "t" }));
        var next = await Next(client);
        Assert.Equal((RealtimeFixture.SentinelType, sentinel), (next.GetProperty("type").GetString(), next.GetProperty("data").GetProperty("sentinel").GetGuid()));
    }

    [Fact]
    public async Task A_refused_join_is_logged_at_information_without_a_stack_trace()
    {
        var logs = new LogRecorder();
        await using var service = fixture.StartService(host => host.ConfigureLogging(logging => logging.AddProvider(logs)));
        await using var client = await HubClient.ConnectAsync(service.Server, TasksHub.Path, fixture.Data.Token(Roles.Operator, "outsider", "WH-A"));
        var theirs = NewWarehouse();

        // The server logs before it answers the invocation, so the records are there once the client has the error.
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => client.InvokeAsync(nameof(TasksHub.JoinWarehouse), theirs));

        var refusal = Assert.Single(logs.Records, r => r.Message.Contains(theirs, StringComparison.Ordinal));
        Assert.Equal((LogLevel.Information, null), (refusal.Level, refusal.Exception));
        Assert.DoesNotContain(logs.Records, r => r.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task Connecting_without_a_valid_token_is_refused()
    {
        var anonymous = await fixture.Factory.CreateClient().PostAsync($"{TasksHub.Path}/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        // The in-memory server refuses the WebSocket upgrade itself: its client reports the status of the handshake.
        var forged = await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.ConnectAsync("forged.token.value"));
        Assert.Equal("Incomplete handshake, status code: 401", forged.Message);
    }

    [Fact]
    public async Task Relayed_and_failed_messages_are_counted_and_connections_are_measured()
    {
        await using var service = fixture.StartService();
        await using var client = await HubClient.ConnectAsync(service.Server, TasksHub.Path, fixture.Data.Token(Roles.Operator, "op4", "WH-M"));
        // Handed to this host's relay, not published: every host in the process hears Redis, and OpenTelemetry sums the
        // meters of one name across hosts, so a published message would count once per host.
        var relay = service.Services.GetRequiredService<NotificationRelay>();
        await relay.RelayAsync(Notification.Create(NotificationTypes.TaskCreated, "WH-M", 1, new { }).ToJson());
        await relay.RelayAsync("{ not json");
        await client.WaitForAsync(NotificationRelay.ClientMethod, _ => true, Wait);

        var exposition = await service.CreateClient().GetStringAsync("/metrics");
        var promtool = await Promtool.CheckMetricsAsync(exposition);

        Assert.True(promtool.ExitCode == 0, promtool.ToString());
        Assert.Equal<(double?, double?)>((1, 1), (Exposition.Value(exposition, "warehouse_realtime_messages_total{type=\"task_created\"}"),
            Exposition.Value(exposition, "warehouse_realtime_broadcast_failures_total{reason=\"malformed\"}")));
        Assert.Contains("signalr_server_active_connections{", exposition);
    }

    [Fact]
    public void Notifications_round_trip_through_json()
    {
        var notification = Notification.Create(NotificationTypes.TasksImported, "W", 3, new { count = 2 });
        var parsed = Notification.FromJson(notification.ToJson())!;
        Assert.Equal((notification.Type, notification.WarehouseId, notification.Sequence), (parsed.Type, parsed.WarehouseId, parsed.Sequence));
        Assert.Equal(2, parsed.Data.GetProperty("count").GetInt32());
        Assert.Throws<JsonException>(() => Notification.FromJson("nope"));
    }

    /// <summary>rate() cannot see a series' first sample: the first broadcast failure after a start must count.</summary>
    [Fact]
    public async Task A_fresh_service_exposes_its_counters_at_zero()
    {
        var exposition = await Exposition.OfFreshServiceAsync(fixture);

        string[] series =
        [
            .. new[] { NotificationTypes.TaskCreated, NotificationTypes.TaskUpdated, NotificationTypes.TaskCompleted, NotificationTypes.TasksImported, NotificationTypes.ImportProgress }
                .Select(type => $"warehouse_realtime_messages_total{{type=\"{type}\"}}"),
            "warehouse_realtime_broadcast_failures_total{reason=\"malformed\"}", "warehouse_realtime_broadcast_failures_total{reason=\"send\"}",
        ];
        Assert.All(series, s => Assert.Equal(0, Exposition.Value(exposition, s)));
    }
}
