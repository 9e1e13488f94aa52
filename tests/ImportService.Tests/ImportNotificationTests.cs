using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Warehouse.Contracts.Notifications;
using Warehouse.ImportService.Model;
using Warehouse.Messaging;
using Warehouse.Security;
using Warehouse.Testing;

namespace Warehouse.ImportService.Tests;

/// <summary>What the realtime path hears of an import: one "tasks imported" per warehouse, then the job's progress.</summary>
[Collection(ImportServiceCollection.Name)]
public sealed class ImportNotificationTests(ImportServiceFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly string _first = "IMN-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _second = "IMN-" + Guid.NewGuid().ToString("N")[..8];

    private IMessageBus Bus => fixture.Factory.Services.GetRequiredService<IMessageBus>();

    [Fact]
    public async Task An_import_publishes_tasks_imported_per_warehouse_with_its_next_sequence_then_its_final_progress_with_the_jobs_warehouses()
    {
        var received = await NotificationRecorder.SubscribeAsync(Bus, IsImportNotification);
        var planner = fixture.Client(Roles.Planner, _first, _second);

        var view = await planner.ImportAsync($"{ImportApiClient.Header}\n{_first},pick,S1,1,A,,\n{_second},pick,S2,1,A,,\n{_first},count,S3,1,A,,\n");

        Assert.Equal((ImportStatuses.Succeeded, 3L), (view.Job.Status, view.Job.ImportedRows));
        Notification[] notifications = [await NextOfAsync(received, view.Job.Id), await NextOfAsync(received, view.Job.Id), await NextOfAsync(received, view.Job.Id)];
        Assert.Equal(
            [(NotificationTypes.TasksImported, _first, 1L, 2L), (NotificationTypes.TasksImported, _second, 1L, 1L)],
            notifications[..2].Select(n => (n.Type, n.WarehouseId, n.Sequence, n.Data.GetProperty("count").GetInt64())));
        Assert.Equal((NotificationTypes.ImportProgress, "", 0L), (notifications[2].Type, notifications[2].WarehouseId, notifications[2].Sequence));
        var progress = notifications[2].Data.Deserialize<ImportProgress>(JsonSerializerOptions.Web)!;
        Assert.Equal((view.Job.Id, ImportStatuses.Succeeded, 3L, 3L, 0L), (progress.JobId, progress.Status, progress.ProcessedRows, progress.ImportedRows, progress.RejectedRows));
        Assert.Equal(new[] { _first, _second }.Order(StringComparer.Ordinal), progress.Warehouses!);
    }

    [Fact]
    public async Task An_import_while_Redis_is_down_succeeds_and_the_next_one_is_announced_with_the_sequence_after_it()
    {
        var received = await NotificationRecorder.SubscribeAsync(Bus, IsImportNotification);
        var planner = fixture.Client(Roles.Planner, _first);
        await fixture.Data.StopAsync(DataInfrastructure.Redis);
        ImportJobView during;
        try
        {
            during = await planner.ImportAsync($"{ImportApiClient.Header}\n{_first},pick,S1,1,A,,\n");
        }
        finally
        {
            await fixture.Data.StartAsync(DataInfrastructure.Redis);
        }

        Assert.Equal((ImportStatuses.Succeeded, 1L), (during.Job.Status, during.Job.ImportedRows));
        Assert.Equal(1, await fixture.ScalarAsync("SELECT sequence FROM warehouse_sequences WHERE warehouse_id = $1", _first));
        await received.WaitUntilDeliveringAsync(Bus, TimeSpan.FromSeconds(30));

        var after = await planner.ImportAsync($"{ImportApiClient.Header}\n{_first},pick,S2,1,A,,\n");
        var imported = await NextOfAsync(received, after.Job.Id);
        Assert.Equal((NotificationTypes.TasksImported, _first, 2L, 1L),
            (imported.Type, imported.WarehouseId, imported.Sequence, imported.Data.GetProperty("count").GetInt64()));
    }

    private static bool IsImportNotification(Notification n) => n.Type is NotificationTypes.TasksImported or NotificationTypes.ImportProgress;

    private static Task<Notification> NextOfAsync(NotificationRecorder received, Guid jobId) =>
        received.NextAsync(n => n.Data.GetProperty("jobId").GetGuid() == jobId, Wait);
}
