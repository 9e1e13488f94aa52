using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Warehouse.Faults;
using Warehouse.Messaging;
using Warehouse.RealtimeWorker.Hubs;
using Warehouse.RealtimeWorker.Memory;
using Warehouse.RealtimeWorker.Relay;
using Warehouse.Security;

namespace Warehouse.RealtimeWorker.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddDefaultAuthentication();
        builder.AddFaultSwitches();
        builder.AddRedisMessageBus("redis");

        RefusalLogging.Install(builder);
        builder.Services.AddSignalR(options =>
        {
            options.KeepAliveInterval = TimeSpan.FromSeconds(10);
            options.AddFilter<RefusalLogging>();
        });
        builder.Services.AddInstruments<RealtimeMetrics>();
        builder.Services.AddSingleton<NotificationRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NotificationRelay>());

        builder.Services.AddSingleton<ConnectionGauge>();
        builder.Services.AddSingleton<ImportAudience>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.Configure<MemoryTrimOptions>(builder.Configuration.GetSection(MemoryTrimOptions.SectionName));
        builder.Services.AddHostedService<MemoryTrimmer>();
    }
}
