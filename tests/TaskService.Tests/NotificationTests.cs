using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Warehouse.Contracts.Notifications;
using Warehouse.Contracts.Tasks;
using Warehouse.Messaging;
using Warehouse.TaskService.Model;
using Warehouse.Testing;

namespace Warehouse.TaskService.Tests;

[Collection(TaskServiceCollection.Name)]
public sealed class NotificationTests(TaskServiceFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private readonly WarehouseStaff _staff = new(fixture);

    private IMessageBus Bus => fixture.Factory.Services.GetRequiredService<IMessageBus>();

    [Fact]
    public async Task Every_change_publishes_one_notification_with_the_next_warehouse_sequence_number()
    {
        var warehouse = _staff.Warehouse;
        var received = await NotificationRecorder.SubscribeAsync(Bus, n => n.WarehouseId == warehouse);
        var before = DateTimeOffset.UtcNow;

        var task = await _staff.Planner.CreateAsync(warehouse, quantity: 2);
        await (await _staff.Operator.ScanAsync(Guid.NewGuid(), task.Id, 1)).ReadAsync<ScanResponse>(HttpStatusCode.OK);
        await (await _staff.Operator.ScanAsync(Guid.NewGuid(), task.Id, 1)).ReadAsync<ScanResponse>(HttpStatusCode.OK);
        await (await _staff.Operator.ScanAsync(Guid.NewGuid(), task.Id, 5)).ExpectAsync(HttpStatusCode.Conflict);
        // The sentinel: had the refused scan published anything, it would arrive before this creation.
        var next = await _staff.Planner.CreateAsync(warehouse);

        Notification[] notifications = [await received.NextAsync(Wait), await received.NextAsync(Wait), await received.NextAsync(Wait), await received.NextAsync(Wait)];
        Assert.Equal(
            [(NotificationTypes.TaskCreated, 1L, task.Id), (NotificationTypes.TaskUpdated, 2L, task.Id), (NotificationTypes.TaskCompleted, 3L, task.Id), (NotificationTypes.TaskCreated, 4L, next.Id)],
            notifications.Select(n => (n.Type, n.Sequence, n.Data.GetProperty("id").GetGuid())));
        var after = DateTimeOffset.UtcNow;
        Assert.All(notifications, n => Assert.InRange(n.PublishedAt ?? default, before, after));
    }

    [Fact]
    public async Task Without_Redis_the_service_is_degraded_but_writes_still_commit_and_notifications_resume_after()
    {
        var warehouse = _staff.Warehouse;
        var received = await NotificationRecorder.SubscribeAsync(Bus, n => n.WarehouseId == warehouse);
        await fixture.Data.StopAsync(DataInfrastructure.Redis);
        try
        {
            var health = await fixture.Factory.CreateClient().GetAsync("/health");
            var body = await health.ExpectAsync(HttpStatusCode.OK);
            Assert.Equal("Degraded", body.GetProperty("status").GetString());

            var task = await _staff.Planner.CreateAsync(warehouse);
            Assert.Equal(1, (await (await _staff.Operator.GetAsync($"/api/tasks?warehouseId={warehouse}")).ReadAsync<TaskPage>(HttpStatusCode.OK)).Sequence);
            Assert.Equal(task.Id, (await (await _staff.Operator.GetAsync($"/api/tasks/{task.Id}")).ReadAsync<TaskItem>(HttpStatusCode.OK)).Id);
        }
        finally
        {
            await fixture.Data.StartAsync(DataInfrastructure.Redis);
        }

        await Eventually.TrueAsync(async () =>
            (await (await fixture.Factory.CreateClient().GetAsync("/health")).Content.ReadFromJsonAsync<HealthBody>())?.Status == "Healthy",
            TimeSpan.FromSeconds(20));
        await received.WaitUntilDeliveringAsync(Bus, TimeSpan.FromSeconds(20));

        // The next change is published again, with the sequence after the one committed during the outage.
        var after = await _staff.Planner.CreateAsync(warehouse);
        var notification = await received.NextAsync(n => n.Data.GetProperty("id").GetGuid() == after.Id, Wait);
        Assert.Equal((NotificationTypes.TaskCreated, 2L), (notification.Type, notification.Sequence));
    }

    private sealed record HealthBody(string Status);
}
