using Aspire.Hosting.ApplicationModel;

namespace Warehouse.Hosting.Monitoring;

/// <summary>An Alertmanager, whichever way it runs: its API and, in a cluster, its gossip endpoint.</summary>
public interface IAlertmanagerResource : IResourceWithEndpoints
{
    /// <summary>The web UI and API (basic auth).</summary>
    EndpointReference PrimaryEndpoint { get; }

    /// <summary>Gossip with the other members (TCP and UDP on the same port); only a clustered instance has it.</summary>
    EndpointReference ClusterEndpoint { get; }
}

/// <summary>
/// alertmanager.yml and the secret files it reads (name under <c>secrets/</c> to contents), as the AppHost makes them
/// when the instance starts: receiver URLs and the heartbeat are secrets, known only then.
/// </summary>
public sealed record AlertmanagerFiles(string Config, IReadOnlyDictionary<string, string> SecretFiles);

/// <summary>Alertmanager from its official image, configured from the repository's <c>monitoring/</c> folder.</summary>
public sealed class AlertmanagerResource(string name) : ContainerResource(name), IAlertmanagerResource
{
    internal const string PrimaryEndpointName = "http";

    internal const string ClusterEndpointName = "cluster";

    internal const string ConfigDirectory = "/etc/alertmanager";

    internal const int ClusterPort = 9094;

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    public EndpointReference ClusterEndpoint => field ??= new(this, ClusterEndpointName);

    /// <summary>The other members of its cluster; none when clustering is off.</summary>
    internal List<AlertmanagerResource> Peers { get; } = [];
}

/// <summary>Alertmanager from Debian's binary, its run directory (<see cref="AlertmanagerLayout"/>) under the data directory.</summary>
public sealed class LocalAlertmanagerResource(string name, string command, string runDirectory)
    : ExecutableResource(name, command, runDirectory), IAlertmanagerResource
{
    public EndpointReference PrimaryEndpoint => field ??= new(this, AlertmanagerResource.PrimaryEndpointName);

    public EndpointReference ClusterEndpoint => field ??= new(this, AlertmanagerResource.ClusterEndpointName);

    /// <summary>The other members of its cluster; none when clustering is off.</summary>
    internal List<LocalAlertmanagerResource> Peers { get; } = [];
}
