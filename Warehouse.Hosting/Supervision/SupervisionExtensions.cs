using Aspire.Hosting;
using Aspire.Hosting.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Warehouse.Hosting.Supervision;

public static class SupervisionExtensions
{
    /// <summary>
    /// Self-healing for every long-running resource of the app (<see cref="ResourceSupervisor"/>): a resource that exits
    /// on its own is started again with <paramref name="backoff"/>, and the restarts are counted in a Prometheus text
    /// file in <paramref name="countsDirectory"/> (node_exporter's <c>--collector.textfile.directory</c>).
    /// </summary>
    public static IDistributedApplicationBuilder AddResourceSupervisor(this IDistributedApplicationBuilder builder, string countsDirectory, RestartBackoff? backoff = null)
    {
        builder.Services.AddSingleton(new RestartCountsFile(countsDirectory));
        builder.Services.AddSingleton(backoff ?? new RestartBackoff());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddEventingSubscriber<ResourceSupervisor>();
        return builder;
    }
}
