using Warehouse.Hosting.Monitoring;
using Warehouse.Hosting.Monitoring.Exporters;

namespace AppHost.Monitoring;

/// <summary>
/// What differs between the flavours' monitoring stacks: how each component is started (Debian's binary or its image,
/// from Warehouse.Hosting's resources), where Alertmanager delivers, and how the services' metrics reach Prometheus.
/// <see cref="MonitoringStackExtensions.AddMonitoring"/> composes them the same way for both.
/// </summary>
internal abstract class MonitoringFlavour(IDistributedApplicationBuilder builder, MonitoringSecrets secrets)
{
    protected IDistributedApplicationBuilder Builder { get; } = builder;

    protected MonitoringSecrets Secrets { get; } = secrets;

    /// <summary>The repository's <c>monitoring/</c> folder: one Prometheus config, rules, templates and exporter configs.</summary>
    protected PrometheusLayout Layout { get; } = new(MonitoringFiles.Directory(builder));

    protected string Config(string relativePath) => Path.Combine(Layout.MonitoringDirectory, relativePath);

    /// <summary>The Alertmanagers named <paramref name="names"/>, clustered when there are several, the primary first.</summary>
    public abstract IReadOnlyList<IResourceBuilder<IAlertmanagerResource>> AddAlertmanagers(IReadOnlyList<string> names);

    /// <summary>One Prometheus of the HA pair, its <c>replica</c> label set; <paramref name="primary"/> on the seed port people know.</summary>
    public abstract IResourceBuilder<IPrometheusResource> AddPrometheus(string replica, PrometheusTargets targets, bool primary);

    /// <summary>Host metrics; the textfile collector publishes the AppHost's restart counts (Warehouse.Hosting/Supervision).</summary>
    public abstract IResourceBuilder<IExporterResource> AddNodeExporter(string name);

    public abstract IResourceBuilder<IExporterResource> AddPostgresExporter(string name);

    public abstract IResourceBuilder<IExporterResource> AddRedisExporter(string name);

    /// <summary>Probes each service's <c>/alive</c> and <c>/health</c> with the modules of <c>blackbox/blackbox.yml</c>.</summary>
    public abstract IResourceBuilder<IExporterResource> AddBlackboxExporter(string name);

    /// <summary>How the services' own metrics reach Prometheus (scraped, or pushed), and what else reads them.</summary>
    public abstract void CollectServiceMetrics(
        IReadOnlyList<IResourceBuilder<ProjectResource>> services, PrometheusTargets targets, IResourceBuilder<IPrometheusResource> primary);
}

/// <summary>
/// The monitoring password (basic auth on Prometheus and Alertmanager), the receivers' secret files, and the heartbeat
/// URL (written into alertmanager.yml: Alertmanager 0.25 reads no webhook URL from a file).
/// </summary>
internal sealed record MonitoringSecrets(
    IResourceBuilder<ParameterResource> Password,
    IReadOnlyList<(string FileName, IResourceBuilder<ParameterResource> Parameter)> ReceiverFiles,
    IResourceBuilder<ParameterResource> HeartbeatUrl);
