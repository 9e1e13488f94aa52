using AppHost.Extensions;
using Warehouse.Hosting.Monitoring;

namespace AppHost.Monitoring;

internal static class MonitoringStackExtensions
{
    /// <summary>
    /// The monitoring stack watching <paramref name="services"/>, the same for both flavours (<paramref name="flavour"/>
    /// starts each part its own way): the Alertmanager cluster, the exporters, every service's copies probed by the
    /// blackbox exporter, and the Prometheus HA pair (<see cref="MonitoringTopology"/>: how many of each), every target
    /// written once into the file_sd files of <c>monitoring/prometheus/prometheus.yml</c>.
    /// </summary>
    public static MonitoringResources AddMonitoring(
        this IDistributedApplicationBuilder builder, MonitoringFlavour flavour, IReadOnlyList<IResourceBuilder<ProjectResource>> services)
    {
        var topology = MonitoringTopology.From(builder.Configuration);
        var targets = new PrometheusTargets();

        var alertmanagers = flavour.AddAlertmanagers(topology.AlertmanagerNames);

        targets.Scrape("node", flavour.AddNodeExporter("node-exporter").Resource.PrimaryEndpoint)
            .Scrape("postgres", flavour.AddPostgresExporter("postgres-exporter").Resource.PrimaryEndpoint)
            .Scrape("redis", flavour.AddRedisExporter("redis-exporter").Resource.PrimaryEndpoint);
        var blackbox = flavour.AddBlackboxExporter("blackbox-exporter");
        foreach (var service in services)
        {
            targets.Probe(service.ServiceName(), service.ManagementEndpoint(), blackbox.Resource.PrimaryEndpoint);
        }

        var prometheus = topology.PrometheusReplicas
            .Select(replica => flavour.AddPrometheus(replica, targets, primary: replica == topology.PrometheusReplicas[0]))
            .ToList();
        var stack = MonitoringTargets.Wire(targets, prometheus, alertmanagers);
        flavour.CollectServiceMetrics(services, targets, stack.PrimaryPrometheus);
        return stack;
    }
}
