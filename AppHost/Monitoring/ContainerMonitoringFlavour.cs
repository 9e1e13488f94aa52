using System.Text;
using AppHost.Secrets;
using Warehouse.Contracts.Hosting;
using Warehouse.Hosting.Monitoring;
using Warehouse.Hosting.Monitoring.Exporters;

namespace AppHost.Monitoring;

/// <summary>
/// The containers flavour's monitoring from the pinned images: Prometheus 3 receiving the services' metrics by OTLP
/// from the OpenTelemetry Collector, Grafana on the primary Prometheus, Alertmanager delivering to the configured
/// receivers (a closed local port by default), and the exporters watching the developer's Docker host.
/// </summary>
internal sealed class ContainerMonitoringFlavour(
    IDistributedApplicationBuilder builder,
    MonitoringSecrets secrets,
    string restartCountsDirectory,
    IResourceBuilder<PostgresServerResource> postgres,
    IResourceBuilder<RedisResource> redis) : MonitoringFlavour(builder, secrets)
{
    public override IReadOnlyList<IResourceBuilder<IAlertmanagerResource>> AddAlertmanagers(IReadOnlyList<string> names) =>
        names.Select(name => Builder.AddAlertmanager(name, Config("alertmanager/templates"), Secrets.Password, AlertmanagerFiles))
            .ToList()
            .AsCluster();

    public override IResourceBuilder<IPrometheusResource> AddPrometheus(string replica, PrometheusTargets targets, bool primary) =>
        Builder.AddPrometheus(MonitoringTopology.PrometheusName(replica), Layout, Secrets.Password, targets).WithReplica(replica);

    /// <summary>The developer's Docker host; a deployment has no host of ours to watch.</summary>
    public override IResourceBuilder<IExporterResource> AddNodeExporter(string name) =>
        Builder.AddNodeExporter(name, restartCountsDirectory);

    public override IResourceBuilder<IExporterResource> AddPostgresExporter(string name) => Builder.AddPostgresExporter(name, postgres);

    public override IResourceBuilder<IExporterResource> AddRedisExporter(string name) => Builder.AddRedisExporter(name, redis);

    public override IResourceBuilder<IExporterResource> AddBlackboxExporter(string name) =>
        Builder.AddBlackboxExporter(name, Config("blackbox/blackbox.yml"));

    /// <summary>
    /// Every service's OTLP export goes to the Collector, which writes metrics to the primary Prometheus's OTLP receiver
    /// (the other replica evaluates the same rules on the probes and exporters); Grafana reads the primary.
    /// </summary>
    public override void CollectServiceMetrics(
        IReadOnlyList<IResourceBuilder<ProjectResource>> services, PrometheusTargets targets, IResourceBuilder<IPrometheusResource> primary)
    {
        var collector = AddOtelCollector("otel-collector", primary);
        targets.Scrape("otel-collector", collector.GetEndpoint("metrics"));
        foreach (var service in services)
        {
            // Registered after AddProject's own OTLP settings (which target the dashboard), so these win.
            service.WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", collector.GetEndpoint("grpc"))
                   .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
        }

        AddGrafana("grafana", primary);
    }

    /// <summary>Written when the container is created: the heartbeat URL and the receivers' settings are secrets.</summary>
    private async Task<AlertmanagerFiles> AlertmanagerFiles(CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, string>();
        foreach (var (fileName, secret) in Secrets.ReceiverFiles)
        {
            files[fileName] = await secret.Resource.GetValueAsync(cancellationToken) ?? string.Empty;
        }

        return new(MonitoringFiles.WithHeartbeat(
            await File.ReadAllTextAsync(Config("alertmanager/alertmanager.yml"), cancellationToken),
            await Secrets.HeartbeatUrl.Resource.GetValueAsync(cancellationToken) ?? ""), files);
    }

    /// <summary>
    /// grafana.ini reads the admin password from GRAFANA_ADMIN_PASSWORD; GF_SECURITY_ADMIN_PASSWORD, Grafana's own
    /// override, gets the same secret so nothing else can win. The datasource reads PROMETHEUS_URL/_PASSWORD.
    /// </summary>
    private void AddGrafana(string name, IResourceBuilder<IPrometheusResource> prometheus)
    {
        var adminPassword = Builder.AddGeneratedPassword(SecretNames.GrafanaAdminPassword);
        Builder.AddContainer(name, "grafana/grafana", "12.1.1")
            .WithBindMount(Config("grafana/grafana.ini"), "/etc/grafana/grafana.ini", isReadOnly: true)
            .WithBindMount(Config("grafana/provisioning"), "/etc/grafana/provisioning", isReadOnly: true)
            .WithBindMount(Config("grafana/dashboards"), "/var/lib/grafana/dashboards", isReadOnly: true)
            .WithEnvironment("GRAFANA_ADMIN_PASSWORD", adminPassword)
            .WithEnvironment("GF_SECURITY_ADMIN_PASSWORD", adminPassword)
            .WithEnvironment("GF_AUTH_ANONYMOUS_ENABLED", "false")
            .WithEnvironment("PROMETHEUS_URL", prometheus.Resource.PrimaryEndpoint)
            .WithEnvironment("PROMETHEUS_PASSWORD", Secrets.Password)
            .WithHttpEndpoint(targetPort: 3000, name: "http")
            .WithHttpHealthCheck("/api/health")
            .WaitFor(prometheus);
    }

    /// <summary>
    /// The contrib Collector (its default command reads /etc/otelcol-contrib/config.yaml). Metrics go to
    /// Prometheus's OTLP receiver; traces, logs and metrics to the Aspire dashboard, as in aspire-samples' Metrics.
    /// Its own metrics are on 8888 (service.telemetry.metrics in config.yaml).
    /// </summary>
    private IResourceBuilder<ContainerResource> AddOtelCollector(string name, IResourceBuilder<IPrometheusResource> prometheus)
    {
        var dashboardOtlpUrl = Builder.Configuration["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] ?? "http://localhost:18889";

        return Builder.AddContainer(name, "otel/opentelemetry-collector-contrib", "0.135.0")
            .WithBindMount(Config("otel-collector/config.yaml"), "/etc/otelcol-contrib/config.yaml", isReadOnly: true)
            .WithEndpoint(targetPort: 4317, name: "grpc", scheme: "http")
            .WithEndpoint(targetPort: 4318, name: "http", scheme: "http")
            .WithHttpEndpoint(targetPort: 13133, name: "health")
            .WithHttpEndpoint(targetPort: 8888, name: "metrics")
            .WithHttpHealthCheck("/", endpointName: "health")
            .WithEnvironment("PROMETHEUS_OTLP_ENDPOINT", $"{prometheus.Resource.PrimaryEndpoint}/api/v1/otlp")
            .WithEnvironment(async context =>
            {
                // Same credentials Prometheus uses (config.yaml sends them as a ready-made header).
                if (context.ExecutionContext.IsRunMode)
                {
                    var password = await Secrets.Password.Resource.GetValueAsync(context.CancellationToken);
                    var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"monitoring:{password}"));
                    context.EnvironmentVariables["PROMETHEUS_AUTH_HEADER"] = $"Basic {credentials}";
                }
            })
            // HostUrl is rewritten to an address the container can reach (host.docker.internal). config.yaml
            // exports with tls.insecure, so the AppHost's default launch profile is "http".
            .WithEnvironment("ASPIRE_DASHBOARD_OTLP_ENDPOINT", $"{new HostUrl(dashboardOtlpUrl)}")
            .WithEnvironment("ASPIRE_DASHBOARD_OTLP_API_KEY", Builder.Configuration["AppHost:OtlpApiKey"])
            .WaitFor(prometheus);
    }
}
