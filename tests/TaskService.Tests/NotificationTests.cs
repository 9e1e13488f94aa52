using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Warehouse.Contracts.Notifications;
using Warehouse.Contracts.Tasks;
using Warehouse.Messaging;
using Warehouse.ServiceDefaults.Security;
using Warehouse.TaskService.Model;
using Warehouse.Testing;

namespace Warehouse.TaskService.Tests;

[Collection(TaskServiceCollection.Name)]
public sealed class NotificationTests(TaskServiceFixture fixture)
{
    private readonly WarehouseStaff _staff = new(fixture);

    [Fact]
    public async Task Every_change_publishes_one_notification_with_the_next_warehouse_sequence_number()
    {
        var warehouse = _staff.Warehouse;
        var received = new ConcurrentQueue<Notification>();
        await fixture.Factory.Services.GetRequiredService<IMessageBus>().SubscribeAsync(Notification.Channel, message =>
        {
            if (Notification.FromJson(message) is { } n && n.WarehouseId == warehouse)
            {
                received.Enqueue(n);
            }

            return Task.CompletedTask;
        });

        var task = await _staff.Planner.CreateAsync(warehouse, quantity: 2);
        await (await _staff.Operator.ScanAsync(Guid.NewGuid(), task.Id, 1)).ReadAsync<ScanResponse>(System.Net.HttpStatusCode.OK);
        await (await _staff.Operator.ScanAsync(Guid.NewGuid(), task.Id, 1)).ReadAsync<ScanResponse>(System.Net.HttpStatusCode.OK);
        await (await _staff.Operator.ScanAsync(Guid.NewGuid(), task.Id, 5)).ExpectAsync(System.Net.HttpStatusCode.Conflict);

        await Eventually.TrueAsync(() => received.Count >= 3, TimeSpan.FromSeconds(5));
        await Task.Delay(300);
        Assert.Equal(
            [(NotificationTypes.TaskCreated, 1L), (NotificationTypes.TaskUpdated, 2L), (NotificationTypes.TaskCompleted, 3L)],
            received.Select(n => (n.Type, n.Sequence)));
        Assert.Equal(task.Id, received.Last().Data.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Without_Redis_the_service_is_degraded_but_writes_still_commit_and_notifications_resume_after()
    {
        var warehouse = _staff.Warehouse;
        await fixture.Data.StopAsync(DataInfrastructure.Redis);
        try
        {
            var health = await fixture.Factory.CreateClient().GetAsync("/health");
            var body = await health.ExpectAsync(System.Net.HttpStatusCode.OK);
            Assert.Equal("Degraded", body.GetProperty("status").GetString());

            var task = await _staff.Planner.CreateAsync(warehouse);
            Assert.Equal(1, (await (await _staff.Operator.GetAsync($"/api/tasks?warehouseId={warehouse}")).ReadAsync<TaskPage>(System.Net.HttpStatusCode.OK)).Sequence);
            Assert.Equal(task.Id, (await (await _staff.Operator.GetAsync($"/api/tasks/{task.Id}")).ReadAsync<TaskItem>(System.Net.HttpStatusCode.OK)).Id);
        }
        finally
        {
            await fixture.Data.StartAsync(DataInfrastructure.Redis);
        }

        await Eventually.TrueAsync(async () =>
            (await (await fixture.Factory.CreateClient().GetAsync("/health")).Content.ReadFromJsonAsync<HealthBody>())?.Status == "Healthy",
            TimeSpan.FromSeconds(20));
    }

    private sealed record HealthBody(string Status);
}
