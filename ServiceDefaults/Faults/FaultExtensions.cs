using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Warehouse.Contracts.Faults;

namespace Warehouse.ServiceDefaults.Faults;

public static class FaultExtensions
{
    public static IHostApplicationBuilder AddFaultSwitches(this IHostApplicationBuilder builder)
    {
        var file = builder.Configuration[$"{FaultOptions.SectionName}:File"];
        if (!string.IsNullOrWhiteSpace(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: true, reloadOnChange: true);
            builder.Services.AddHealthChecks().AddCheck<FaultsHealthCheck>(FaultState.CheckName);
        }

        builder.Services.Configure<FaultOptions>(builder.Configuration.GetSection(FaultOptions.SectionName));
        return builder;
    }
}
