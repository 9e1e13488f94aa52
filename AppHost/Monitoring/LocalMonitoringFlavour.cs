using AppHost.Extensions;
using AppHost.Infrastructure;
using Warehouse.Hosting.Monitoring;
using Warehouse.Hosting.Monitoring.Exporters;
using Warehouse.Hosting.Postgres;
using Warehouse.Hosting.Redis;

namespace AppHost.Monitoring;

/// <summary>
/// The local flavour's monitoring from Debian's binaries: Prometheus 2.42 scraping every service's <c>/metrics</c>, the
/// Alertmanagers delivering to the alert inbox, the exporters on allocated loopback ports. Runtime files (targets,
/// secrets, web.yml, TSDB) live under the data directory, one run directory per instance.
/// </summary>
internal sealed class LocalMonitoringFlavour(
    IDistributedApplicationBuilder builder,
    MonitoringSecrets secrets,
    string dataDirectory,
    string restartCountsDirectory,
    IResourceBuilder<LocalPostgresDatabaseResource> database,
    IResourceBuilder<LocalRedisResource> redis) : MonitoringFlavour(builder, secrets)
{
    public const string RelayUrlKey = "AppHost:Alerting:RelayUrl";
    public const string PrometheusFlagsKey = "AppHost:Prometheus:Flags";

    public override IReadOnlyList<IResourceBuilder<IAlertmanagerResource>> AddAlertmanagers(IReadOnlyList<string> names)
    {
        var inbox = Builder.AddAlertInbox("alertinbox");
        var files = AlertmanagerFiles(inbox, Builder.Configuration[RelayUrlKey]);
        return names
            .Select(name => Builder.AddLocalAlertmanager(name, RunDirectory(name), Config("alertmanager/templates"), Secrets.Password, files,
                    port: name == MonitoringTopology.PrimaryAlertmanager ? SeedPorts.Fixed(Builder, 9093) : null)
                .WaitFor(inbox))
            .ToList()
            .AsCluster();
    }

    public override IResourceBuilder<IPrometheusResource> AddPrometheus(string replica, PrometheusTargets targets, bool primary)
    {
        var name = MonitoringTopology.PrometheusName(replica);
        var extraFlags = Builder.Configuration.GetSection(PrometheusFlagsKey).GetChildren().Select(flag => flag.Value ?? "");
        return Builder.AddLocalPrometheus(name, RunDirectory(name), Layout, Secrets.Password, targets, extraFlags,
                port: primary ? SeedPorts.Fixed(Builder, 9090) : null)
            .WithReplica(replica);
    }

    public override IResourceBuilder<IExporterResource> AddNodeExporter(string name) =>
        Builder.AddLocalNodeExporter(name, dataDirectory, restartCountsDirectory);

    public override IResourceBuilder<IExporterResource> AddPostgresExporter(string name) =>
        Builder.AddLocalPostgresExporter(name, dataDirectory, database);

    public override IResourceBuilder<IExporterResource> AddRedisExporter(string name) =>
        Builder.AddLocalRedisExporter(name, dataDirectory, redis);

    public override IResourceBuilder<IExporterResource> AddBlackboxExporter(string name) =>
        Builder.AddLocalBlackboxExporter(name, dataDirectory, Config("blackbox/blackbox.yml"));

    /// <summary>Prometheus scrapes every copy's <c>/metrics</c>. Debian packages no Grafana: the dashboards are the containers flavour's.</summary>
    public override void CollectServiceMetrics(
        IReadOnlyList<IResourceBuilder<ProjectResource>> services, PrometheusTargets targets, IResourceBuilder<IPrometheusResource> primary)
    {
        foreach (var service in services)
        {
            targets.Scrape(service.ServiceName(), service.ManagementEndpoint());
        }
    }

    private string RunDirectory(string name) => Path.Combine(dataDirectory, name);

    /// <summary>
    /// alertmanager.yml for this machine (receivers deliver to the alert inbox, or the relay <paramref name="relayUrl"/>)
    /// and the receivers' secret files, made when an instance starts: the inbox's URL is known only then.
    /// </summary>
    private Func<CancellationToken, Task<AlertmanagerFiles>> AlertmanagerFiles(IResourceBuilder<ProjectResource> inbox, string? relayUrl) => async cancellationToken =>
    {
        var source = await File.ReadAllTextAsync(Config("alertmanager/alertmanager.yml"), cancellationToken);
        var (inboxUrl, inboxSmtp) = inbox.Addresses();
        string Local(string? value) => (value ?? "").Replace(AlertInboxExtensions.UrlPlaceholder, inboxUrl, StringComparison.Ordinal);

        var heartbeatUrl = Local(await Secrets.HeartbeatUrl.Resource.GetValueAsync(cancellationToken));
        var localised = MonitoringFiles.Localise(source, relayUrl ?? inboxUrl + "relay/", inboxUrl, inboxSmtp);
        var files = new Dictionary<string, string>();
        foreach (var (name, parameter) in Secrets.ReceiverFiles)
        {
            files[name] = Local(await parameter.Resource.GetValueAsync(cancellationToken));
        }

        return new(MonitoringFiles.WithHeartbeat(localised, heartbeatUrl), files);
    };
}
