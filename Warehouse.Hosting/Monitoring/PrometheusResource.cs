using Aspire.Hosting.ApplicationModel;

namespace Warehouse.Hosting.Monitoring;

/// <summary>A Prometheus, whichever way it runs: what the AppHost's composition and its consumers (Grafana, queries) need.</summary>
public interface IPrometheusResource : IResourceWithEndpoints, IResourceWithWaitSupport
{
    /// <summary>The web UI and API (basic auth).</summary>
    EndpointReference PrimaryEndpoint { get; }
}

/// <summary>Prometheus from its official image, configured from the repository's <c>monitoring/</c> folder.</summary>
public sealed class PrometheusResource(string name) : ContainerResource(name), IPrometheusResource
{
    internal const string PrimaryEndpointName = "http";

    internal const string ConfigDirectory = "/etc/prometheus";

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);
}

/// <summary>Prometheus from Debian's binary, its run directory (<see cref="PrometheusLayout"/>) under the data directory.</summary>
public sealed class LocalPrometheusResource(string name, string command, string runDirectory, PrometheusLayout layout)
    : ExecutableResource(name, command, runDirectory), IPrometheusResource
{
    public EndpointReference PrimaryEndpoint => field ??= new(this, PrometheusResource.PrimaryEndpointName);

    public PrometheusLayout Layout { get; } = layout;

    /// <summary>The TSDB (<c>--storage.tsdb.path</c>): what scripts/backup-prometheus.sh snapshots.</summary>
    public string StoragePath => Path.Combine(WorkingDirectory, "data");
}
