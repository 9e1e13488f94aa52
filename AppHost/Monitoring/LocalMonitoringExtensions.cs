using AppHost.Extensions;
using AppHost.Infrastructure;
using Warehouse.Hosting;
using Warehouse.Hosting.Postgres;
using Warehouse.Hosting.Redis;

namespace AppHost.Monitoring;

/// <summary>
/// The monitoring stack of the local flavour from Debian's binaries: Prometheus 2.42 scraping every service's
/// <c>/metrics</c> (file_sd targets from the allocated endpoints), Alertmanager, and the node, postgres, redis and
/// blackbox exporters. Configuration comes from the repository's <c>monitoring/</c> folder; runtime files (targets,
/// secrets, web.yml, TSDB) live under the data directory.
/// </summary>
internal static class LocalMonitoringExtensions
{
    public const string RelayUrlKey = "AppHost:Alerting:RelayUrl";
    public const string PrometheusFlagsKey = "AppHost:Prometheus:Flags";

    public static void AddLocalMonitoring(
        this IDistributedApplicationBuilder builder,
        string dataDirectory,
        string restartCountsDirectory,
        MonitoringSecrets secrets,
        IResourceBuilder<LocalPostgresServerResource> postgres,
        IResourceBuilder<LocalPostgresDatabaseResource> database,
        IResourceBuilder<LocalRedisResource> redis,
        IReadOnlyList<IResourceBuilder<ProjectResource>> services)
    {
        var monitoring = MonitoringFiles.Directory(builder);
        var targets = new PrometheusTargets();

        var inbox = builder.AddAlertInbox("alertinbox");
        var alertmanager = builder.AddLocalAlertmanager(Path.Combine(dataDirectory, "alertmanager"), monitoring, secrets, inbox);

        var node = builder.AddExecutable("node-exporter", LocalBinaries.Require("/usr/bin/prometheus-node-exporter", "prometheus-node-exporter"), dataDirectory)
            // The textfile collector publishes the AppHost's restart counts (Warehouse.Hosting/Supervision).
            .WithListenEndpoint(address => ["--no-collector.systemd", $"--collector.textfile.directory={restartCountsDirectory}",
                ReferenceExpression.Create($"--web.listen-address={address}")]);

        var pg = postgres.Resource;
        var postgresExporter = builder.AddExecutable("postgres-exporter", LocalBinaries.Require("/usr/bin/prometheus-postgres-exporter", "prometheus-postgres-exporter"), dataDirectory)
            .WithListenEndpoint(address => [ReferenceExpression.Create($"--web.listen-address={address}")])
            // postgres_exporter 0.11 reads the DSN (with the password) from its environment, never argv.
            .WithEnvironment("DATA_SOURCE_NAME", ReferenceExpression.Create(
                $"postgresql://{LocalPostgresServerResource.UserName}:{pg.PasswordParameter:uri}@{pg.PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}/{database.Resource.DatabaseName}?sslmode=disable&connect_timeout=5"))
            .WaitFor(database);

        // redis_exporter 1.45 takes single-dash flags; the password goes in REDIS_PASSWORD so it stays out of ps.
        // Both exporters reach their server through the orchestrator's proxy, which accepts a connection even when the
        // server is down: a connect timeout under the 10 s scrape timeout turns that into redis_up / pg_up 0.
        var redisExporter = builder.AddExecutable("redis-exporter", LocalBinaries.Require("/usr/bin/prometheus-redis-exporter", "prometheus-redis-exporter"), dataDirectory)
            .WithListenEndpoint(address =>
            [
                "-redis.addr", ReferenceExpression.Create($"redis://{redis.Resource.PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}"),
                "-web.listen-address", address,
                "-connection-timeout", "5s",
            ])
            .WithEnvironment("REDIS_PASSWORD", redis.Resource.PasswordParameter)
            .WaitFor(redis);

        var blackbox = builder.AddExecutable("blackbox-exporter", LocalBinaries.Require("/usr/bin/prometheus-blackbox-exporter", "prometheus-blackbox-exporter"), dataDirectory)
            .WithListenEndpoint(address =>
                [$"--config.file={Path.Combine(monitoring, "blackbox", "blackbox.yml")}", ReferenceExpression.Create($"--web.listen-address={address}")]);

        foreach (var service in services)
        {
            targets.Scrape(service.Resource.Name, service.ManagementEndpoint()).Probe(service.Resource.Name, service.ManagementEndpoint());
        }

        targets.Scrape("node", node.GetEndpoint("http"))
            .Scrape("postgres", postgresExporter.GetEndpoint("http"))
            .Scrape("redis", redisExporter.GetEndpoint("http"))
            .Scrape("alertmanager", alertmanager.GetEndpoint("http"))
            .Scrape("alertmanagers", alertmanager.GetEndpoint("http"));

        builder.AddLocalPrometheus(Path.Combine(dataDirectory, "prometheus"), monitoring, secrets, targets, blackbox.GetEndpoint("http"))
            // Prometheus drops alerts until it has discovered Alertmanager.
            .WaitFor(alertmanager);
    }

    private static IResourceBuilder<ExecutableResource> AddLocalPrometheus(
        this IDistributedApplicationBuilder builder,
        string runDirectory,
        string monitoring,
        MonitoringSecrets secrets,
        PrometheusTargets targets,
        EndpointReference blackbox)
    {
        var prometheus = builder.AddExecutable("prometheus", LocalBinaries.Require("/usr/bin/prometheus", "prometheus"), DataDirectory.Create(runDirectory));
        targets.Scrape("prometheus", prometheus.GetEndpoint("http"));

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(prometheus.Resource, async (_, cancellationToken) =>
        {
            File.Copy(Path.Combine(monitoring, "prometheus", "prometheus.local.yml"), Path.Combine(runDirectory, "prometheus.yml"), overwrite: true);
            ReplaceLink(Path.Combine(runDirectory, "rules"), Path.Combine(monitoring, "prometheus", "rules"));
            var password = await secrets.Password.Resource.GetValueAsync(cancellationToken) ?? "";
            Directory.CreateDirectory(Path.Combine(runDirectory, "secrets"));
            DataDirectory.WriteSecretFile(Path.Combine(runDirectory, "secrets", "monitoring_password"), password);
            DataDirectory.WriteSecretFile(Path.Combine(runDirectory, "web.yml"), MonitoringFiles.WebConfig(password));
            targets.Write(Path.Combine(runDirectory, "targets"), blackbox);
        });

        var extraFlags = builder.Configuration.GetSection(PrometheusFlagsKey).GetChildren().Select(flag => flag.Value ?? "");
        string[] flags = [.. MonitoringFiles.LastWins([.. MonitoringFiles.Flags(monitoring), .. extraFlags])];

        return prometheus
            .WithListenEndpoint(address =>
            [
                $"--config.file={Path.Combine(runDirectory, "prometheus.yml")}",
                $"--storage.tsdb.path={Path.Combine(runDirectory, "data")}",
                $"--web.config.file={Path.Combine(runDirectory, "web.yml")}",
                ReferenceExpression.Create($"--web.listen-address={address}"),
                ReferenceExpression.Create($"--web.external-url={prometheus.GetEndpoint("http")}"),
                .. flags,
            ],
            // The seed port people know; tests get a random one. Aspire's probe has no credentials: a 401 means up
            // and refusing strangers.
            port: SeedPorts.Fixed(builder, 9090), healthPath: "/-/ready", healthStatus: 401);
    }

    private static IResourceBuilder<ExecutableResource> AddLocalAlertmanager(
        this IDistributedApplicationBuilder builder, string runDirectory, string monitoring, MonitoringSecrets secrets, IResourceBuilder<ProjectResource> inbox)
    {
        var alertmanager = builder.AddExecutable("alertmanager", LocalBinaries.Require("/usr/bin/prometheus-alertmanager", "prometheus-alertmanager"), DataDirectory.Create(runDirectory));
        var relayUrl = builder.Configuration[RelayUrlKey];
        var config = Path.Combine(monitoring, "alertmanager", "alertmanager.yml");

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(alertmanager.Resource, async (_, cancellationToken) =>
        {
            var source = await File.ReadAllTextAsync(config, cancellationToken);
            var (inboxUrl, inboxSmtp) = inbox.Addresses();
            var heartbeatUrl = (await secrets.HeartbeatUrl.Resource.GetValueAsync(cancellationToken) ?? "")
                .Replace(AlertInboxExtensions.UrlPlaceholder, inboxUrl, StringComparison.Ordinal);
            var localised = MonitoringFiles.Localise(source, relayUrl ?? inboxUrl + "relay/", inboxUrl, inboxSmtp);
            await File.WriteAllTextAsync(Path.Combine(runDirectory, "alertmanager.yml"), MonitoringFiles.WithHeartbeat(localised, heartbeatUrl), cancellationToken);
            ReplaceLink(Path.Combine(runDirectory, "templates"), Path.Combine(monitoring, "alertmanager", "templates"));
            Directory.CreateDirectory(Path.Combine(runDirectory, "secrets"));
            foreach (var (name, parameter) in secrets.ReceiverFiles)
            {
                var value = await parameter.Resource.GetValueAsync(cancellationToken) ?? "";
                DataDirectory.WriteSecretFile(Path.Combine(runDirectory, "secrets", name), value.Replace(AlertInboxExtensions.UrlPlaceholder, inboxUrl, StringComparison.Ordinal));
            }

            var password = await secrets.Password.Resource.GetValueAsync(cancellationToken) ?? "";
            DataDirectory.WriteSecretFile(Path.Combine(runDirectory, "web.yml"), MonitoringFiles.WebConfig(password));
        });

        // Relative paths in alertmanager.yml (secrets/, templates/) resolve against the working directory.
        return alertmanager
            .WaitFor(inbox)
            .WithListenEndpoint(address =>
            [
                $"--config.file={Path.Combine(runDirectory, "alertmanager.yml")}",
                $"--storage.path={Path.Combine(runDirectory, "data")}",
                $"--web.config.file={Path.Combine(runDirectory, "web.yml")}",
                "--cluster.listen-address=",
                ReferenceExpression.Create($"--web.listen-address={address}"),
                ReferenceExpression.Create($"--web.external-url={alertmanager.GetEndpoint("http")}"),
            ],
            port: SeedPorts.Fixed(builder, 9093), healthPath: "/-/ready", healthStatus: 401);
    }

    /// <summary>
    /// An "http" endpoint passed to the binary as a listen address on loopback (<paramref name="arguments"/> gets
    /// <c>127.0.0.1:&lt;port&gt;</c>): a fixed <paramref name="port"/> is bound by the binary itself, else the orchestrator
    /// allocates one behind its proxy. And a health check, on <c>/metrics</c> unless told otherwise.
    /// </summary>
    private static IResourceBuilder<ExecutableResource> WithListenEndpoint(
        this IResourceBuilder<ExecutableResource> executable,
        Func<ReferenceExpression, object[]> arguments,
        int? port = null,
        string healthPath = "/metrics",
        int? healthStatus = null)
    {
        var address = ReferenceExpression.Create($"127.0.0.1:{executable.GetEndpoint("http").Property(EndpointProperty.TargetPort)}");
        return executable
            .WithHttpEndpoint(port: port, targetPort: port, name: "http", isProxied: port is null)
            .WithArgs(context =>
            {
                foreach (var argument in arguments(address))
                {
                    context.Args.Add(argument);
                }
            })
            .WithHttpHealthCheck(healthPath, healthStatus);
    }

    private static void ReplaceLink(string link, string target)
    {
        if (File.Exists(link) || Directory.Exists(link))
        {
            File.Delete(link);
        }

        File.CreateSymbolicLink(link, target);
    }
}

/// <summary>
/// The monitoring password (basic auth on Prometheus and Alertmanager), the receivers' secret files, and the heartbeat
/// URL (written into alertmanager.yml: Alertmanager 0.25 reads no webhook URL from a file).
/// </summary>
internal sealed record MonitoringSecrets(
    IResourceBuilder<ParameterResource> Password,
    IReadOnlyList<(string FileName, IResourceBuilder<ParameterResource> Parameter)> ReceiverFiles,
    IResourceBuilder<ParameterResource> HeartbeatUrl);
