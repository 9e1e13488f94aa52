using AppHost.Infrastructure;
using AppHost.Extensions;
using Warehouse.Hosting.Monitoring;
using Warehouse.Hosting.Monitoring.Exporters;
using Warehouse.Hosting.Postgres;
using Warehouse.Hosting.Redis;

namespace AppHost.Monitoring;

/// <summary>
/// The monitoring stack of the local flavour from Debian's binaries: Prometheus 2.42 scraping every service's
/// <c>/metrics</c> (file_sd targets from the allocated endpoints), an Alertmanager cluster delivering to the alert
/// inbox, and the node, postgres, redis and blackbox exporters (<see cref="MonitoringTopology"/>: how many of each).
/// Configuration comes from the repository's <c>monitoring/</c> folder; runtime files (targets, secrets, web.yml,
/// TSDB) live under the data directory, one run directory per instance.
/// </summary>
internal static class LocalMonitoringExtensions
{
    public const string RelayUrlKey = "AppHost:Alerting:RelayUrl";
    public const string PrometheusFlagsKey = "AppHost:Prometheus:Flags";

    public static MonitoringResources AddLocalMonitoring(
        this IDistributedApplicationBuilder builder,
        string dataDirectory,
        string restartCountsDirectory,
        MonitoringSecrets secrets,
        IResourceBuilder<LocalPostgresDatabaseResource> database,
        IResourceBuilder<LocalRedisResource> redis,
        IReadOnlyList<IResourceBuilder<ProjectResource>> services)
    {
        var layout = new PrometheusLayout(MonitoringFiles.Directory(builder));
        var topology = MonitoringTopology.From(builder.Configuration);
        var targets = new PrometheusTargets();

        var inbox = builder.AddAlertInbox("alertinbox");
        var alertmanagerFiles = AlertmanagerFiles(layout.MonitoringDirectory, secrets, inbox, builder.Configuration[RelayUrlKey]);
        var alertmanagers = topology.AlertmanagerNames
            .Select(name => builder.AddLocalAlertmanager(name, Path.Combine(dataDirectory, name), Path.Combine(layout.MonitoringDirectory, "alertmanager", "templates"),
                    secrets.Password, alertmanagerFiles, port: name == MonitoringTopology.PrimaryAlertmanager ? SeedPorts.Fixed(builder, 9093) : null)
                .WaitFor(inbox))
            .ToList()
            .AsCluster();

        // The textfile collector publishes the AppHost's restart counts (Warehouse.Hosting/Supervision).
        var node = builder.AddLocalNodeExporter("node-exporter", dataDirectory, restartCountsDirectory);
        var postgresExporter = builder.AddLocalPostgresExporter("postgres-exporter", dataDirectory, database);
        var redisExporter = builder.AddLocalRedisExporter("redis-exporter", dataDirectory, redis);
        var blackbox = builder.AddLocalBlackboxExporter("blackbox-exporter", dataDirectory, Path.Combine(layout.MonitoringDirectory, "blackbox", "blackbox.yml"));

        foreach (var service in services)
        {
            targets.Scrape(service.ServiceName(), service.ManagementEndpoint())
                .Probe(service.ServiceName(), service.ManagementEndpoint(), blackbox.Resource.PrimaryEndpoint);
        }

        targets.Scrape("node", node.Resource.PrimaryEndpoint)
            .Scrape("postgres", postgresExporter.Resource.PrimaryEndpoint)
            .Scrape("redis", redisExporter.Resource.PrimaryEndpoint);

        var extraFlags = builder.Configuration.GetSection(PrometheusFlagsKey).GetChildren().Select(flag => flag.Value ?? "").ToList();
        var prometheus = topology.PrometheusReplicas
            .Select(replica => builder.AddLocalPrometheus(MonitoringTopology.PrometheusName(replica), Path.Combine(dataDirectory, MonitoringTopology.PrometheusName(replica)),
                    layout, "prometheus.local.yml", secrets.Password, targets, extraFlags,
                    port: replica == topology.PrometheusReplicas[0] ? SeedPorts.Fixed(builder, 9090) : null)
                .WithReplica(replica))
            .ToList();

        return MonitoringTargets.Wire(targets, prometheus, alertmanagers);
    }

    /// <summary>
    /// alertmanager.yml for this machine (receivers deliver to the alert inbox, or the relay <paramref name="relayUrl"/>)
    /// and the receivers' secret files, made when an instance starts: the inbox's URL is known only then.
    /// </summary>
    private static Func<CancellationToken, Task<AlertmanagerFiles>> AlertmanagerFiles(
        string monitoring, MonitoringSecrets secrets, IResourceBuilder<ProjectResource> inbox, string? relayUrl) => async cancellationToken =>
    {
        var source = await File.ReadAllTextAsync(Path.Combine(monitoring, "alertmanager", "alertmanager.yml"), cancellationToken);
        var (inboxUrl, inboxSmtp) = inbox.Addresses();
        string Local(string? value) => (value ?? "").Replace(AlertInboxExtensions.UrlPlaceholder, inboxUrl, StringComparison.Ordinal);

        var heartbeatUrl = Local(await secrets.HeartbeatUrl.Resource.GetValueAsync(cancellationToken));
        var localised = MonitoringFiles.Localise(source, relayUrl ?? inboxUrl + "relay/", inboxUrl, inboxSmtp);
        var files = new Dictionary<string, string>();
        foreach (var (name, parameter) in secrets.ReceiverFiles)
        {
            files[name] = Local(await parameter.Resource.GetValueAsync(cancellationToken));
        }

        return new(MonitoringFiles.WithHeartbeat(localised, heartbeatUrl), files);
    };
}

/// <summary>
/// The monitoring password (basic auth on Prometheus and Alertmanager), the receivers' secret files, and the heartbeat
/// URL (written into alertmanager.yml: Alertmanager 0.25 reads no webhook URL from a file).
/// </summary>
internal sealed record MonitoringSecrets(
    IResourceBuilder<ParameterResource> Password,
    IReadOnlyList<(string FileName, IResourceBuilder<ParameterResource> Parameter)> ReceiverFiles,
    IResourceBuilder<ParameterResource> HeartbeatUrl);
