using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Warehouse.Contracts.Faults;

namespace Warehouse.Faults;

public static class FaultExtensions
{
    /// <summary>Loads the switches from <c>Faults:File</c> (set by the AppHost's <c>WithFaultSwitches</c>) and reports them in <c>/health</c>.</summary>
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

    /// <summary>Answers matching requests with the switched-on latency or error rate, before authentication.</summary>
    public static IApplicationBuilder UseFaultSwitches(this IApplicationBuilder app) => app.UseMiddleware<FaultInjectionMiddleware>();
}
