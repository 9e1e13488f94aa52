using Warehouse.Data;
using Warehouse.Faults;
using Warehouse.ImportService.Apis;
using Warehouse.ImportService.Importing;
using Warehouse.ImportService.Infrastructure;
using Warehouse.Messaging;
using Warehouse.Security;

namespace Warehouse.ImportService.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddDefaultAuthentication();
        builder.AddFaultSwitches();
        builder.AddWarehouseDatabase("warehousedb", ConnectionBudget.ImportService);
        builder.AddRedisMessageBus("redis");

        builder.Services.Configure<ImportOptions>(builder.Configuration.GetSection(ImportOptions.SectionName));
        builder.Services.AddSingleton<ImportJobStore>();
        builder.Services.AddSingleton<ImportUploads>();
        builder.Services.AddSingleton<ImportCopy>();
        builder.Services.AddSingleton<ImportWakeUp>();
        builder.Services.AddInstruments<ImportMetrics>();
        builder.Services.AddSingleton<ImportNotifier>();
        builder.Services.AddSingleton<ImportProcessor>();
        builder.Services.AddSingleton<ImportServices>();
        builder.Services.AddHostedService<ImportWorker>();
        builder.Services.AddHostedService<ImportLeaseRecovery>();
        builder.Services.AddOpenApi();
    }
}
