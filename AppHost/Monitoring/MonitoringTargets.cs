using Warehouse.Hosting.Monitoring;

namespace AppHost.Monitoring;

/// <summary>How the Prometheus and Alertmanagers of either flavour see each other, written once for both.</summary>
internal static class MonitoringTargets
{
    /// <summary>
    /// Every Prometheus sends to every Alertmanager (file_sd <c>alertmanagers</c>) and scrapes each of them (job
    /// <c>alertmanager</c>) and every Prometheus, itself included (job <c>prometheus</c>): one target, so one
    /// <c>instance</c>, per process, which the meta-alerts need to tell a lost replica from a lost stack. Each Prometheus
    /// waits for the Alertmanagers: it drops alerts until it has discovered them.
    /// </summary>
    public static MonitoringResources Wire<TPrometheus, TAlertmanager>(
        PrometheusTargets targets,
        IReadOnlyList<IResourceBuilder<TPrometheus>> prometheus,
        IReadOnlyList<IResourceBuilder<TAlertmanager>> alertmanagers)
        where TPrometheus : class, IPrometheusResource, IResourceWithWaitSupport
        where TAlertmanager : class, IAlertmanagerResource
    {
        foreach (var alertmanager in alertmanagers)
        {
            targets.Scrape("alertmanagers", alertmanager.Resource.PrimaryEndpoint).Scrape("alertmanager", alertmanager.Resource.PrimaryEndpoint);
        }

        foreach (var instance in prometheus)
        {
            targets.Scrape("prometheus", instance.Resource.PrimaryEndpoint);
            foreach (var alertmanager in alertmanagers)
            {
                instance.WaitFor(alertmanager);
            }
        }

        return new(
            [.. prometheus.Select(p => (IResourceBuilder<IPrometheusResource>)p)],
            [.. alertmanagers.Select(a => (IResourceBuilder<IAlertmanagerResource>)a)]);
    }
}
