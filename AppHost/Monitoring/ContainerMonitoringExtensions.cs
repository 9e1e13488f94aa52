using System.Text;
using AppHost.Secrets;

namespace AppHost.Monitoring;

internal static class ContainerMonitoringExtensions
{
    /// <summary>
    /// Prometheus (OTLP receiver on), Alertmanager, Grafana, the OpenTelemetry Collector and the exporters,
    /// configured from the repository's monitoring/ folder, and every service's OTLP export pointed at the Collector.
    /// </summary>
    public static void AddContainerMonitoring(
        this IDistributedApplicationBuilder builder,
        string restartCountsDirectory,
        MonitoringSecrets secrets,
        IResourceBuilder<PostgresServerResource> postgres,
        IResourceBuilder<RedisResource> redis,
        IEnumerable<IResourceBuilder<ProjectResource>> services)
    {
        var monitoring = MonitoringFiles.Directory(builder);
        string Config(string relativePath) => Path.Combine(monitoring, relativePath);

        // Basic auth on Prometheus's and Alertmanager's UIs and APIs (user "monitoring"): each gets a web.yml with
        // the bcrypt hash; Prometheus, Grafana and the Collector send the password.
        var monitoringPassword = secrets.Password;

        var alertmanager = builder.AddContainer("alertmanager", "prom/alertmanager", "v0.28.1")
            // Written when the container is created: the heartbeat URL is a secret (MonitoringFiles.WithHeartbeat).
            .WithContainerFiles("/etc/alertmanager", async (_, cancellationToken) =>
            [
                new ContainerFile
                {
                    Name = "alertmanager.yml",
                    Contents = MonitoringFiles.WithHeartbeat(
                        await File.ReadAllTextAsync(Config("alertmanager/alertmanager.yml"), cancellationToken),
                        await ((IValueProvider)secrets.HeartbeatUrl.Resource).GetValueAsync(cancellationToken) ?? ""),
                },
            ])
            .WithBindMount(Config("alertmanager/templates"), "/etc/alertmanager/templates", isReadOnly: true)
            // The file names alertmanager.yml reads. Alertmanager resolves those relative paths against its
            // working directory (monitoring/README.md), hence the config directory as working directory.
            .WithSecretFiles("/etc/alertmanager", monitoringPassword, [.. secrets.ReceiverFiles])
            .WithContainerRuntimeArgs("--workdir", "/etc/alertmanager")
            // Replaces the image's CMD; clustering off, as in the local flavour.
            .WithArgs("--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager", "--cluster.listen-address=",
                "--web.config.file=/etc/alertmanager/web.yml")
            .WithHttpEndpoint(targetPort: 9093, name: "http")
            // Aspire's probe has no credentials: a 401 means up and refusing strangers.
            .WithHttpHealthCheck("/-/ready", statusCode: 401);

        // Replaces the image's CMD, so the defaults come first; the rest is shared with the local flavour.
        string[] prometheusArgs =
        [
            "--config.file=/etc/prometheus/prometheus.yml",
            "--storage.tsdb.path=/prometheus",
            "--web.enable-otlp-receiver",
            "--web.config.file=/etc/prometheus/web.yml",
            .. MonitoringFiles.Flags(monitoring),
        ];
        var prometheus = builder.AddContainer("prometheus", "prom/prometheus", "v3.5.0")
            .WithBindMount(Config("prometheus/prometheus.containers.yml"), "/etc/prometheus/prometheus.yml", isReadOnly: true)
            .WithBindMount(Config("prometheus/rules"), "/etc/prometheus/rules", isReadOnly: true)
            .WithSecretFiles("/etc/prometheus", monitoringPassword, [("monitoring_password", monitoringPassword)])
            .WithArgs(prometheusArgs)
            .WithHttpEndpoint(targetPort: 9090, name: "http")
            .WithHttpHealthCheck("/-/ready", statusCode: 401)
            // Prometheus drops alerts until it has discovered Alertmanager.
            .WaitFor(alertmanager);

        // grafana.ini reads the admin password from GRAFANA_ADMIN_PASSWORD; GF_SECURITY_ADMIN_PASSWORD, Grafana's own
        // override, gets the same secret so nothing else can win. The datasource reads PROMETHEUS_URL/_PASSWORD.
        var grafanaAdminPassword = builder.AddGeneratedPassword("grafana-admin-password");
        builder.AddContainer("grafana", "grafana/grafana", "12.1.1")
            .WithBindMount(Config("grafana/grafana.ini"), "/etc/grafana/grafana.ini", isReadOnly: true)
            .WithBindMount(Config("grafana/provisioning"), "/etc/grafana/provisioning", isReadOnly: true)
            .WithBindMount(Config("grafana/dashboards"), "/var/lib/grafana/dashboards", isReadOnly: true)
            .WithEnvironment("GRAFANA_ADMIN_PASSWORD", grafanaAdminPassword)
            .WithEnvironment("GF_SECURITY_ADMIN_PASSWORD", grafanaAdminPassword)
            .WithEnvironment("GF_AUTH_ANONYMOUS_ENABLED", "false")
            .WithEnvironment("PROMETHEUS_URL", prometheus.GetEndpoint("http"))
            .WithEnvironment("PROMETHEUS_PASSWORD", monitoringPassword)
            .WithHttpEndpoint(targetPort: 3000, name: "http")
            .WithHttpHealthCheck("/api/health")
            .WaitFor(prometheus);

        var collector = builder.AddOtelCollector(Config("otel-collector/config.yaml"), prometheus, monitoringPassword);
        foreach (var service in services)
        {
            // Registered after AddProject's own OTLP settings (which target the dashboard), so these win.
            service.WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", collector.GetEndpoint("grpc"))
                   .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
        }

        // Host metrics of the developer's Docker host; a deployment has no host of ours to watch. The host's root,
        // read-only, as node_exporter's README runs it in a container: without it the filesystem alerts would watch the
        // container's own overlay, not the host's disks.
        // The textfile collector publishes the AppHost's restart counts (Warehouse.Hosting/Supervision).
        builder.AddContainer("node-exporter", "prom/node-exporter", "v1.9.1")
            .WithBindMount("/", "/host", isReadOnly: true)
            .WithBindMount(restartCountsDirectory, "/textfile", isReadOnly: true)
            .WithArgs("--path.rootfs=/host", "--collector.textfile.directory=/textfile")
            .WithHttpEndpoint(targetPort: 9100, name: "http");

        var pg = postgres.Resource;
        builder.AddContainer("postgres-exporter", "prometheuscommunity/postgres-exporter", "v0.17.1")
            .WithEnvironment("DATA_SOURCE_NAME",
                $"postgresql://{pg.UserNameReference}:{pg.PasswordParameter:uri}@{pg.PrimaryEndpoint.Property(EndpointProperty.Host)}:{pg.PrimaryEndpoint.Property(EndpointProperty.Port)}/postgres?sslmode=disable")
            .WithHttpEndpoint(targetPort: 9187, name: "http")
            .WaitFor(postgres);

        builder.AddContainer("redis-exporter", "oliver006/redis_exporter", "v1.77.0")
            .WithEnvironment("REDIS_ADDR", $"redis://{redis.Resource.PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}")
            .WithEnvironment("REDIS_PASSWORD", $"{redis.Resource.PasswordParameter!}")
            .WithHttpEndpoint(targetPort: 9121, name: "http")
            .WaitFor(redis);

        // Probes each service's /alive and /health; the targets are listed in prometheus.containers.yml.
        builder.AddContainer("blackbox-exporter", "prom/blackbox-exporter", "v0.27.0")
            .WithBindMount(Config("blackbox/blackbox.yml"), "/etc/blackbox_exporter/config.yml", isReadOnly: true)
            .WithHttpEndpoint(targetPort: 9115, name: "http");
    }

    /// <summary>
    /// The contrib Collector (its default command reads /etc/otelcol-contrib/config.yaml). Metrics go to
    /// Prometheus's OTLP receiver; traces, logs and metrics to the Aspire dashboard, as in aspire-samples' Metrics.
    /// </summary>
    private static IResourceBuilder<ContainerResource> AddOtelCollector(
        this IDistributedApplicationBuilder builder,
        string configFile,
        IResourceBuilder<ContainerResource> prometheus,
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

    /// <summary>
    /// Writes secret parameters as files under <paramref name="directory"/>/secrets when the container is created
    /// (the configs read <c>*_file</c> settings, and bind-mounted secrets would have to live in the repository),
    /// and <c>web.yml</c>, the basic-auth web config with the bcrypt hash of the monitoring password.
    /// </summary>
    private static IResourceBuilder<ContainerResource> WithSecretFiles(
        this IResourceBuilder<ContainerResource> container,
        string directory,
        IResourceBuilder<ParameterResource> monitoringPassword,
        IReadOnlyList<(string FileName, IResourceBuilder<ParameterResource> Secret)> secrets) =>
        container.WithContainerFiles(directory, async (_, cancellationToken) =>
        {
            var files = new List<ContainerFileSystemItem>();
            foreach (var (fileName, secret) in secrets)
            {
                var value = await ((IValueProvider)secret.Resource).GetValueAsync(cancellationToken);
                files.Add(new ContainerFile { Name = fileName, Contents = value ?? string.Empty });
            }

            var password = await ((IValueProvider)monitoringPassword.Resource).GetValueAsync(cancellationToken);
            return [new ContainerDirectory { Name = "secrets", Entries = files }, new ContainerFile { Name = "web.yml", Contents = MonitoringFiles.WebConfig(password ?? "") }];
        });
}
