using Warehouse.Data;
using Warehouse.Faults;
using Warehouse.Messaging;
using Warehouse.Security;
using Warehouse.TaskService.Apis;
using Warehouse.TaskService.Infrastructure;

namespace Warehouse.TaskService.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddDefaultAuthentication();
        builder.AddFaultSwitches();
        builder.AddWarehouseDatabase("warehousedb", ConnectionBudget.TaskService);
        builder.AddRedisMessageBus("redis");

        builder.Services.AddSingleton<TaskRepository>();
        builder.Services.AddSingleton<TaskNotifier>();
        builder.Services.AddInstruments<TaskMetrics>();
        builder.Services.AddSingleton<TaskServices>();
        builder.Services.AddOpenApi();
    }
}
