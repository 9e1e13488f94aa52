using Microsoft.Extensions.Configuration;
using Warehouse.Hosting.Monitoring;

namespace AppHost.Monitoring;

/// <summary>
/// How many Prometheus and Alertmanagers watch the platform. High availability is on unless
/// <c>AppHost:Monitoring:HighAvailability=false</c>: two Prometheus (<c>prometheus-a</c>, <c>prometheus-b</c>, each its
/// own <c>replica</c> label) evaluating the same rules, and three clustered Alertmanagers, so that losing one of each
/// still pages once. Three rather than two: the upstream mixin's AlertmanagerClusterDown pages when half the cluster
/// is down, so with two, one lost instance would page; with three it is a warning-level event. Off, one of each keeps
/// the same names, so the primary is always <see cref="PrimaryPrometheus"/> and <see cref="PrimaryAlertmanager"/>.
/// </summary>
internal sealed record MonitoringTopology(IReadOnlyList<string> PrometheusReplicas, IReadOnlyList<string> AlertmanagerNames)
{
    public const string HighAvailabilityKey = "AppHost:Monitoring:HighAvailability";

    /// <summary>The Prometheus that answers queries where one is needed: Grafana, the tests, the backup script's default.</summary>
    public const string PrimaryPrometheus = "prometheus-a";

    /// <summary>The Alertmanager whose UI people open first; any member shows the cluster's alerts and silences.</summary>
    public const string PrimaryAlertmanager = "alertmanager-a";

    public static MonitoringTopology From(IConfiguration configuration) =>
        configuration.GetValue(HighAvailabilityKey, defaultValue: true)
            ? new(["a", "b"], ["alertmanager-a", "alertmanager-b", "alertmanager-c"])
            : new(["a"], [PrimaryAlertmanager]);

    public static string PrometheusName(string replica) => $"prometheus-{replica}";
}

/// <summary>The monitoring stack a flavour started: every Prometheus and Alertmanager, the primary first.</summary>
internal sealed record MonitoringResources(
    IReadOnlyList<IResourceBuilder<IPrometheusResource>> Prometheus,
    IReadOnlyList<IResourceBuilder<IAlertmanagerResource>> Alertmanagers)
{
    public IResourceBuilder<IPrometheusResource> PrimaryPrometheus => Prometheus[0];
}
