using System.Text;
using AppHost.Extensions;
using AppHost.Secrets;
using Warehouse.Contracts.Hosting;
using Warehouse.Hosting.Monitoring;
using Warehouse.Hosting.Monitoring.Exporters;

namespace AppHost.Monitoring;

internal static class ContainerMonitoringExtensions
{
    /// <summary>
    /// Prometheus (OTLP receiver on), an Alertmanager cluster, Grafana, the OpenTelemetry Collector and the exporters,
    /// configured from the repository's monitoring/ folder (<see cref="MonitoringTopology"/>: how many of each), and
    /// every service's OTLP export pointed at the Collector.
    /// </summary>
    public static MonitoringResources AddContainerMonitoring(
        this IDistributedApplicationBuilder builder,
        string restartCountsDirectory,
        MonitoringSecrets secrets,
        IResourceBuilder<PostgresServerResource> postgres,
        IResourceBuilder<RedisResource> redis,
        IEnumerable<IResourceBuilder<ProjectResource>> services)
    {
        var layout = new PrometheusLayout(MonitoringFiles.Directory(builder));
        var monitoring = layout.MonitoringDirectory;
        string Config(string relativePath) => Path.Combine(monitoring, relativePath);
        var topology = MonitoringTopology.From(builder.Configuration);
        var targets = new PrometheusTargets();

        // Basic auth on Prometheus's and Alertmanager's UIs and APIs (user "monitoring"): each gets a web.yml with
        // the bcrypt hash; Prometheus, Grafana and the Collector send the password.
        var monitoringPassword = secrets.Password;

        // Written when the container is created: the heartbeat URL and the receivers' settings are secrets.
        async Task<AlertmanagerFiles> AlertmanagerFiles(CancellationToken cancellationToken)
        {
            var files = new Dictionary<string, string>();
            foreach (var (fileName, secret) in secrets.ReceiverFiles)
            {
                files[fileName] = await ((IValueProvider)secret.Resource).GetValueAsync(cancellationToken) ?? string.Empty;
            }

            return new(MonitoringFiles.WithHeartbeat(
                await File.ReadAllTextAsync(Config("alertmanager/alertmanager.yml"), cancellationToken),
                await ((IValueProvider)secrets.HeartbeatUrl.Resource).GetValueAsync(cancellationToken) ?? ""), files);
        }

        var alertmanagers = topology.AlertmanagerNames
            .Select(name => builder.AddAlertmanager(name, Config("alertmanager/templates"), monitoringPassword, AlertmanagerFiles))
            .ToList()
            .AsCluster();

        var prometheus = topology.PrometheusReplicas
            .Select(replica => builder.AddPrometheus(MonitoringTopology.PrometheusName(replica), layout, "prometheus.containers.yml", monitoringPassword, targets)
                .WithArgs("--web.enable-otlp-receiver")
                .WithReplica(replica))
            .ToList();
        var stack = MonitoringTargets.Wire(targets, prometheus, alertmanagers);
        // Grafana and the Collector use the primary: the other replica scrapes the same targets and evaluates the same rules.
        var primary = prometheus[0];

        // grafana.ini reads the admin password from GRAFANA_ADMIN_PASSWORD; GF_SECURITY_ADMIN_PASSWORD, Grafana's own
        // override, gets the same secret so nothing else can win. The datasource reads PROMETHEUS_URL/_PASSWORD.
        var grafanaAdminPassword = builder.AddGeneratedPassword(SecretNames.GrafanaAdminPassword);
        builder.AddContainer("grafana", "grafana/grafana", "12.1.1")
            .WithBindMount(Config("grafana/grafana.ini"), "/etc/grafana/grafana.ini", isReadOnly: true)
            .WithBindMount(Config("grafana/provisioning"), "/etc/grafana/provisioning", isReadOnly: true)
            .WithBindMount(Config("grafana/dashboards"), "/var/lib/grafana/dashboards", isReadOnly: true)
            .WithEnvironment("GRAFANA_ADMIN_PASSWORD", grafanaAdminPassword)
            .WithEnvironment("GF_SECURITY_ADMIN_PASSWORD", grafanaAdminPassword)
            .WithEnvironment("GF_AUTH_ANONYMOUS_ENABLED", "false")
            .WithEnvironment("PROMETHEUS_URL", primary.GetEndpoint("http"))
            .WithEnvironment("PROMETHEUS_PASSWORD", monitoringPassword)
            .WithHttpEndpoint(targetPort: 3000, name: "http")
            .WithHttpHealthCheck("/api/health")
            .WaitFor(primary);

        var collector = builder.AddOtelCollector(Config("otel-collector/config.yaml"), primary, monitoringPassword);
        foreach (var service in services)
        {
            // Registered after AddProject's own OTLP settings (which target the dashboard), so these win.
            service.WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", collector.GetEndpoint("grpc"))
                   .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
        }

        // Host metrics of the developer's Docker host; a deployment has no host of ours to watch. The textfile
        // collector publishes the AppHost's restart counts (Warehouse.Hosting/Supervision).
        builder.AddNodeExporter("node-exporter", restartCountsDirectory);
        builder.AddPostgresExporter("postgres-exporter", postgres);
        builder.AddRedisExporter("redis-exporter", redis);
        // Probes every copy's /alive and /health, each its own instance, as in the local flavour (targets/blackbox.json).
        var blackbox = builder.AddBlackboxExporter("blackbox-exporter", Config("blackbox/blackbox.yml"));
        foreach (var service in services)
        {
            targets.Probe(service.ServiceName(), service.ManagementEndpoint(), blackbox.Resource.PrimaryEndpoint);
        }

        return stack;
    }

    /// <summary>
    /// The contrib Collector (its default command reads /etc/otelcol-contrib/config.yaml). Metrics go to
    /// Prometheus's OTLP receiver; traces, logs and metrics to the Aspire dashboard, as in aspire-samples' Metrics.
    /// </summary>
    private static IResourceBuilder<ContainerResource> AddOtelCollector(
        this IDistributedApplicationBuilder builder,
        string configFile,
        IResourceBuilder<PrometheusResource> prometheus,
        IResourceBuilder<ParameterResource> monitoringPassword)
    {
        var dashboardOtlpUrl = builder.Configuration["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] ?? "http://localhost:18889";

        return builder.AddContainer("otel-collector", "otel/opentelemetry-collector-contrib", "0.135.0")
            .WithBindMount(configFile, "/etc/otelcol-contrib/config.yaml", isReadOnly: true)
            .WithEndpoint(targetPort: 4317, name: "grpc", scheme: "http")
            .WithEndpoint(targetPort: 4318, name: "http", scheme: "http")
            .WithHttpEndpoint(targetPort: 13133, name: "health")
            .WithHttpHealthCheck("/", endpointName: "health")
            .WithEnvironment("PROMETHEUS_OTLP_ENDPOINT", $"{prometheus.GetEndpoint("http")}/api/v1/otlp")
            .WithEnvironment(async context =>
            {
                // Same credentials Prometheus uses (config.yaml sends them as a ready-made header).
                if (context.ExecutionContext.IsRunMode)
                {
                    var password = await ((IValueProvider)monitoringPassword.Resource).GetValueAsync(context.CancellationToken);
                    var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"monitoring:{password}"));
                    context.EnvironmentVariables["PROMETHEUS_AUTH_HEADER"] = $"Basic {credentials}";
                }
            })
            // HostUrl is rewritten to an address the container can reach (host.docker.internal). config.yaml
            // exports with tls.insecure, so the AppHost's default launch profile is "http".
            .WithEnvironment("ASPIRE_DASHBOARD_OTLP_ENDPOINT", $"{new HostUrl(dashboardOtlpUrl)}")
            .WithEnvironment("ASPIRE_DASHBOARD_OTLP_API_KEY", builder.Configuration["AppHost:OtlpApiKey"])
            .WaitFor(prometheus);
    }
}
