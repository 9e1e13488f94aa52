using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Warehouse.Contracts.Hosting;
using Warehouse.Hosting.Monitoring.Exporters;

namespace AppHost.Tests;

/// <summary>The application model as the AppHost declares it. Needs nuget.org to build, no Docker to run.</summary>
public sealed class AppModelTests(AppModel model) : IClassFixture<AppModel>
{
    private static readonly string[] MonitoringResources =
    [
        "prometheus-a", "prometheus-b", "alertmanager-a", "alertmanager-b", "alertmanager-c", "grafana", "otel-collector",
        .. ExporterModel.Names,
    ];

    private static readonly string[] SecretParameters = [.. SecretNames.Platform, SecretNames.GrafanaAdminPassword];

    [Fact]
    public void Every_expected_resource_exists()
    {
        var names = model.Builder.Resources.Select(resource => resource.Name).ToList();

        string[] expected = ["postgres", "warehousedb", "redis", .. AppModel.Services, .. MonitoringResources, .. SecretParameters];
        Assert.All(expected, name => Assert.Contains(name, names));
    }

    [Fact]
    public void Resource_names_are_lowercase()
    {
        Assert.All(model.Builder.Resources, resource => Assert.Matches(new Regex("^[a-z][a-z0-9-]*$"), resource.Name));
    }

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public void Service_is_a_project_with_a_health_checked_http_endpoint(string service)
    {
        var project = Assert.IsType<ProjectResource>(model.Resource(service));

        Assert.Contains(project.Annotations.OfType<EndpointAnnotation>(), endpoint => endpoint.Name == "http" && endpoint.UriScheme == "http");
        Assert.NotEmpty(project.Annotations.OfType<HealthCheckAnnotation>());
    }

    [Fact]
    public void Only_the_gateway_is_external()
    {
        foreach (var service in AppModel.Services)
        {
            var external = model.Resource(service).Annotations.OfType<EndpointAnnotation>().Any(endpoint => endpoint.IsExternal);
            Assert.Equal(service == "apigateway", external);
        }
    }

    [Theory]
    [InlineData("taskservice", new[] { "ConnectionStrings__warehousedb", "ConnectionStrings__redis" })]
    [InlineData("importservice", new[] { "ConnectionStrings__warehousedb", "ConnectionStrings__redis" })]
    [InlineData("realtimeworker", new[] { "ConnectionStrings__redis" })]
    [InlineData("apigateway", new[] { "services__taskservice__http__0", "services__importservice__http__0", "services__realtimeworker__http__0" })]
    public async Task Service_gets_the_contract_configuration_of_what_it_uses(string service, string[] expectedKeys)
    {
        var environment = await AppModel.EnvironmentAsync(model.Resource(service));

        foreach (var key in expectedKeys)
        {
            Assert.Contains(key, environment.Keys);
            // e.g. {warehousedb.connectionString}, {taskservice.bindings.http.url}
            var referenced = key.Split("__")[1];
            Assert.Contains(referenced, environment[key]);
        }
    }

    /// <summary>
    /// Waiting for the database also waits for its server (Aspire adds the parent). importservice waits for taskservice
    /// without calling it: taskservice owns the tasks schema an import writes into and is healthy once it has migrated it.
    /// The gateway waits for nothing: its destinations come from the environment, a backend that is not up yet gets
    /// problem details, and waiting put the gateway's start after the slowest backend's on every platform start.
    /// </summary>
    [Theory]
    [InlineData("taskservice", new[] { "postgres", "redis", "warehousedb" })]
    [InlineData("importservice", new[] { "postgres", "redis", "taskservice", "warehousedb" })]
    [InlineData("realtimeworker", new[] { "redis" })]
    [InlineData("apigateway", new string[0])]
    public void Service_starts_once_what_it_needs_is_healthy(string service, string[] waitsFor)
    {
        var waits = model.Resource(service).Annotations.OfType<WaitAnnotation>().ToList();

        Assert.All(waits, wait => Assert.Equal(WaitType.WaitUntilHealthy, wait.WaitType));
        Assert.Equal(waitsFor, waits.Select(wait => wait.Resource.Name).Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// A service starts from the assembly the AppHost's build built, not through <c>dotnet run</c>, which evaluates the
    /// project again at every start; its working directory stays the project's (content root, appsettings.json).
    /// </summary>
    [Theory]
    [MemberData(nameof(ServiceNames))]
    public async Task Service_starts_from_its_built_assembly(string service) =>
        await AppModel.AssertStartsFromBuiltAssemblyAsync(Assert.IsType<ProjectResource>(model.Resource(service)));

    [Fact]
    public async Task Realtime_worker_has_no_database()
    {
        var environment = await AppModel.EnvironmentAsync(model.Resource("realtimeworker"));

        Assert.DoesNotContain("ConnectionStrings__warehousedb", environment.Keys);
    }

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public async Task Service_gets_the_JWT_settings_with_the_key_from_a_secret_parameter(string service)
    {
        var environment = await AppModel.EnvironmentAsync(model.Resource(service));

        Assert.Equal("warehouse-platform", environment["Jwt__Issuer"]);
        Assert.Equal("warehouse-api", environment["Jwt__Audience"]);
        Assert.Contains("jwt-signing-key", environment["Jwt__SigningKey"]);
    }

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public async Task Service_exports_OTLP_to_the_collector(string service)
    {
        var environment = await AppModel.EnvironmentAsync(model.Resource(service));

        Assert.Contains("otel-collector", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("grpc", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal(service, environment["OTEL_SERVICE_NAME"]);
    }

    [Fact]
    public async Task Only_the_gateway_runs_socket_completions_inline()
    {
        // Inline completions are safe only where the request path never blocks: the gateway's (Kestrel + YARP).
        foreach (var service in AppModel.Services)
        {
            var environment = await AppModel.EnvironmentAsync(model.Resource(service));
            Assert.Equal(service == "apigateway" ? "1" : null, environment.GetValueOrDefault("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"));
        }
    }

    [Fact]
    public void Every_container_image_is_pinned()
    {
        Assert.All(model.Containers, container =>
        {
            var image = container.Annotations.OfType<ContainerImageAnnotation>().Last();
            var pinned = !string.IsNullOrEmpty(image.SHA256)
                || (!string.IsNullOrEmpty(image.Tag) && !string.Equals(image.Tag, "latest", StringComparison.OrdinalIgnoreCase));
            Assert.True(pinned, $"{container.Name} runs {image.Image}:{image.Tag}");
        });
    }

    [Fact]
    public void Prometheus_is_version3()
    {
        // The OTLP receiver (--web.enable-otlp-receiver) is Prometheus 3.
        var image = model.Resource("prometheus-a").Annotations.OfType<ContainerImageAnnotation>().Last();
        Assert.StartsWith("v3.", image.Tag);
    }

    [Fact]
    public async Task Prometheus_runs_with_the_OTLP_receiver_and_the_shared_flags()
    {
        var arguments = await AppModel.ArgumentsAsync(model.Resource("prometheus-a"));

        Assert.Contains("--web.enable-otlp-receiver", arguments);
        Assert.Contains("--config.file=/etc/prometheus/prometheus.yml", arguments);
        var flags = File.ReadAllLines(Path.Combine(model.MonitoringDirectory, "prometheus", "prometheus.flags"))
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'));
        Assert.All(flags, flag => Assert.Contains(flag, arguments));
    }

    [Theory]
    [InlineData("prometheus-a", "--web.config.file=/etc/prometheus/web.yml")]
    [InlineData("prometheus-b", "--web.config.file=/etc/prometheus/web.yml")]
    [InlineData("alertmanager-a", "--web.config.file=/etc/alertmanager/web.yml")]
    [InlineData("alertmanager-c", "--web.config.file=/etc/alertmanager/web.yml")]
    public async Task Monitoring_ui_requires_basic_auth(string resource, string webConfigArgument)
    {
        var arguments = await AppModel.ArgumentsAsync(model.Resource(resource));

        Assert.Contains(webConfigArgument, arguments);
        Assert.NotEmpty(model.Resource(resource).Annotations.OfType<ContainerFileSystemCallbackAnnotation>());
    }

    [Theory]
    [MemberData(nameof(SecretParameterNames))]
    public void Secret_is_a_secret_parameter(string name)
    {
        var parameter = Assert.IsType<ParameterResource>(model.Resource(name));
        Assert.True(parameter.Secret);
    }

    [Fact]
    public void Monitoring_bind_mounts_are_read_only_and_point_into_the_monitoring_folder()
    {
        var bindMounts = model.Containers
            .Where(container => MonitoringResources.Contains(container.Name))
            .SelectMany(container => container.Annotations.OfType<ContainerMountAnnotation>()
                .Where(mount => mount.Type == ContainerMountType.BindMount)
                .Where(mount => !(container.Name == "node-exporter" && mount.Target is "/host" or "/textfile"))
                .Select(mount => (container.Name, mount)))
            .ToList();

        Assert.NotEmpty(bindMounts);
        Assert.All(bindMounts, item =>
        {
            var (name, mount) = item;
            Assert.True(mount.IsReadOnly, $"{name}: {mount.Source} is writable");
            Assert.StartsWith(model.MonitoringDirectory, mount.Source);
            Assert.True(File.Exists(mount.Source) || Directory.Exists(mount.Source), $"{name}: {mount.Source} does not exist");
        });
    }

    /// <summary>The node exporter watches the host's filesystems (read-only), not the container's overlay.</summary>
    [Fact]
    public async Task Node_exporter_reads_the_host_root_read_only()
    {
        var exporter = model.Resource("node-exporter");

        var root = Assert.Single(exporter.Annotations.OfType<ContainerMountAnnotation>(), mount => mount.Target == "/host");
        Assert.Equal("/", root.Source);
        Assert.True(root.IsReadOnly);
        Assert.Contains("--path.rootfs=/host", await AppModel.ArgumentsAsync(exporter));
        Assert.Contains("--collector.textfile.directory=/textfile", await AppModel.ArgumentsAsync(exporter));
    }

    [Theory]
    [InlineData("prometheus-a", "prometheus/prometheus.yml", "/etc/prometheus/prometheus.yml")]
    [InlineData("prometheus-b", "prometheus/rules", "/etc/prometheus/rules")]
    [InlineData("alertmanager-b", "alertmanager/templates", "/etc/alertmanager/templates")]
    [InlineData("grafana", "grafana/grafana.ini", "/etc/grafana/grafana.ini")]
    [InlineData("grafana", "grafana/provisioning", "/etc/grafana/provisioning")]
    [InlineData("grafana", "grafana/dashboards", "/var/lib/grafana/dashboards")]
    [InlineData("otel-collector", "otel-collector/config.yaml", "/etc/otelcol-contrib/config.yaml")]
    [InlineData("blackbox-exporter", "blackbox/blackbox.yml", "/etc/blackbox_exporter/config.yml")]
    public void Monitoring_config_is_mounted(string container, string source, string target)
    {
        var mounts = model.Resource(container).Annotations.OfType<ContainerMountAnnotation>();

        var expectedSource = Path.GetFullPath(Path.Combine(model.MonitoringDirectory, source));
        Assert.Contains(mounts, mount => mount.Target == target && mount.Source is not null && Path.GetFullPath(mount.Source) == expectedSource);
    }

    /// <summary>alertmanager.yml is written into the container, not mounted: its heartbeat URL comes from a secret.</summary>
    [Fact]
    public async Task Alertmanager_config_is_written_with_the_heartbeat_url_from_its_secret()
    {
        const string heartbeat = "https://heartbeat.example/ping/abc";
        foreach (var name in SecretParameters)
        {
            model.Builder.Configuration[$"Parameters:{name}"] = name == SecretNames.HeartbeatUrl ? heartbeat : "x";
        }

        var files = new List<ContainerFileSystemItem>();
        foreach (var annotation in model.Resource("alertmanager-a").Annotations.OfType<ContainerFileSystemCallbackAnnotation>()
            .Where(annotation => annotation.DestinationPath == "/etc/alertmanager"))
        {
            files.AddRange(await annotation.Callback(new ContainerFileSystemCallbackContext { Model = model.Resource("alertmanager-a"), Services = null! }, CancellationToken.None));
        }

        var config = Assert.IsType<ContainerFile>(Assert.Single(files, file => file.Name == "alertmanager.yml"));
        var committed = File.ReadAllText(Path.Combine(model.MonitoringDirectory, "alertmanager", "alertmanager.yml"));
        Assert.Equal(committed.Replace("https://heartbeat.invalid/warehouse-platform", heartbeat, StringComparison.Ordinal), config.Contents);
        Assert.NotEqual(committed, config.Contents);
    }

    [Fact]
    public async Task Grafana_gets_its_admin_password_from_a_secret_and_no_anonymous_access()
    {
        var environment = await AppModel.EnvironmentAsync(model.Resource("grafana"));

        Assert.Contains("grafana-admin-password", environment["GRAFANA_ADMIN_PASSWORD"]);
        Assert.Contains("grafana-admin-password", environment["GF_SECURITY_ADMIN_PASSWORD"]);
        Assert.Equal("false", environment["GF_AUTH_ANONYMOUS_ENABLED"]);
        Assert.Contains("prometheus-a", environment["PROMETHEUS_URL"]);
        Assert.Contains("monitoring-password", environment["PROMETHEUS_PASSWORD"]);
    }

    [Fact]
    public async Task Collector_gets_every_variable_its_config_reads()
    {
        var config = File.ReadAllText(Path.Combine(model.MonitoringDirectory, "otel-collector", "config.yaml"));
        var variables = Regex.Matches(config, @"\$\{env:([A-Za-z0-9_]+)").Select(match => match.Groups[1].Value).Distinct().ToList();
        var environment = await AppModel.EnvironmentAsync(model.Resource("otel-collector"));

        Assert.NotEmpty(variables);
        // PROMETHEUS_AUTH_HEADER is computed from the password value when the container starts (run mode only).
        Assert.All(variables.Where(variable => variable != "PROMETHEUS_AUTH_HEADER"), variable => Assert.Contains(variable, environment.Keys));
        Assert.Contains("prometheus-a", environment["PROMETHEUS_OTLP_ENDPOINT"]);
        Assert.EndsWith("/api/v1/otlp", environment["PROMETHEUS_OTLP_ENDPOINT"]);
    }

    /// <summary>Each on the port Prometheus scrapes it on: its file_sd file names it by its container name on the network.</summary>
    [Theory]
    [MemberData(nameof(ExporterNames))]
    public async Task Exporter_is_an_image_on_the_port_Prometheus_scrapes_with_a_health_check_and_no_secret_in_its_arguments(string name)
    {
        var targets = await AppModel.TargetFilesAsync(model.Builder, "prometheus-a");
        var scraped = targets.Values.SelectMany(file => Regex.Matches(file, $@"\b{name}:(?<port>\d+)"))
            .Select(match => int.Parse(match.Groups["port"].Value)).Distinct();

        var endpoint = await ExporterModel.AssertExporterAsync(Assert.IsType<ExporterResource>(model.Resource(name)));

        Assert.Equal(endpoint.TargetPort, Assert.Single(scraped));
    }

    [Theory]
    [InlineData("postgres-exporter", "postgres")]
    [InlineData("redis-exporter", "redis")]
    public void Exporter_waits_for_its_server(string exporter, string server)
    {
        Assert.Contains(model.Resource(exporter).Annotations.OfType<WaitAnnotation>(), wait => wait.Resource.Name == server);
    }

    [Fact]
    public async Task Postgres_exporter_connects_with_the_Postgres_password()
    {
        var environment = await AppModel.EnvironmentAsync(model.Resource("postgres-exporter"));

        var dataSourceName = environment["DATA_SOURCE_NAME"];
        Assert.StartsWith("postgresql://", dataSourceName);
        Assert.Contains("postgres-password", dataSourceName);
        Assert.Contains("postgres.bindings.tcp", dataSourceName);
    }

    [Fact]
    public async Task Redis_exporter_connects_with_the_Redis_password()
    {
        var environment = await AppModel.EnvironmentAsync(model.Resource("redis-exporter"));

        Assert.StartsWith("redis://", environment["REDIS_ADDR"]);
        Assert.Contains("redis.bindings.tcp", environment["REDIS_ADDR"]);
        Assert.Contains("redis-password", environment["REDIS_PASSWORD"]);
    }

    public static TheoryData<string> ServiceNames => ToTheoryData(AppModel.Services);

    public static TheoryData<string> SecretParameterNames => ToTheoryData(SecretParameters);

    public static TheoryData<string> ExporterNames => ExporterModel.NameData;

    private static TheoryData<string> ToTheoryData(IEnumerable<string> values)
    {
        var data = new TheoryData<string>();
        foreach (var value in values)
        {
            data.Add(value);
        }

        return data;
    }

    [Fact]
    public async Task Alertmanager_containers_cluster_on_their_network_with_every_other_as_a_peer()
    {
        string[] members = ["alertmanager-a", "alertmanager-b", "alertmanager-c"];
        foreach (var member in members)
        {
            var arguments = await AppModel.ArgumentsAsync(model.Resource(member));
            var cluster = Assert.Single(model.Resource(member).Annotations.OfType<EndpointAnnotation>(), e => e.Name == "cluster");

            Assert.Equal(9094, cluster.TargetPort);
            Assert.Contains("--cluster.listen-address=0.0.0.0:9094", arguments);
            Assert.Equal(
                [.. members.Where(other => other != member).Select(other => $"--cluster.peer={other}:9094")],
                arguments.Where(argument => argument!.StartsWith("--cluster.peer=", StringComparison.Ordinal)));
        }
    }

    /// <summary>Every Prometheus sends to and scrapes every Alertmanager, and scrapes every Prometheus: file_sd written into the container.</summary>
    [Fact]
    public async Task Each_Prometheus_container_has_its_replica_and_targets_every_instance_by_name()
    {
        foreach (var replica in new[] { "a", "b" })
        {
            var prometheus = model.Resource($"prometheus-{replica}");
            var targets = await AppModel.TargetFilesAsync(model.Builder, prometheus.Name);

            Assert.Equal(replica, (await AppModel.EnvironmentAsync(prometheus))["PROMETHEUS_REPLICA"]);
            Assert.Equal("containers", (await AppModel.EnvironmentAsync(prometheus))["PROMETHEUS_HOST_MODE"]);
            Assert.All(["alertmanager-a:9093", "alertmanager-b:9093", "alertmanager-c:9093"], target =>
            {
                Assert.Contains(target, targets["alertmanagers.json"]);
                Assert.Contains(target, targets["alertmanager.json"]);
            });
            Assert.All(["prometheus-a:9090", "prometheus-b:9090"], target => Assert.Contains(target, targets["prometheus.json"]));
            Assert.Contains("otel-collector:8888", targets["otel-collector.json"]);
        }
    }

    /// <summary>
    /// The services push OTLP, so their scrape jobs have no targets; the blackbox exporter probes every copy's
    /// <c>/alive</c> and <c>/health</c> on the host, where the services run, on the port each was given.
    /// </summary>
    [Fact]
    public async Task Prometheus_container_probes_every_copy_of_every_service_on_the_host_and_scrapes_none()
    {
        var targets = await AppModel.TargetFilesAsync(model.Builder, "prometheus-a");

        Assert.All(AppModel.Services, service => Assert.Equal("[]", targets[$"{service}.json"].Trim()));
        var probes = JsonNode.Parse(targets["blackbox.json"])!.AsArray()
            .Select(group => (Target: (string)group!["targets"]![0]!, Labels: group["labels"]!))
            .ToList();
        Assert.All(probes, probe => Assert.Equal("blackbox-exporter:9115", probe.Target));
        var copies = model.Builder.Resources.OfType<ProjectResource>().Where(project => AppModel.Services.Any(service => project.Name.StartsWith(service, StringComparison.Ordinal))).ToList();
        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            var endpoints = copy.Annotations.OfType<EndpointAnnotation>().ToList();
            var management = endpoints.SingleOrDefault(e => e.Name == EndpointNames.Management) ?? endpoints.Single(e => e.Name == EndpointNames.Http);
            foreach (var probe in new[] { "alive", "health" })
            {
                Assert.Contains(probes, p => (string?)p.Labels["__param_target"] == $"http://host.docker.internal:{management.AllocatedEndpoint!.Port}/{probe}"
                    && (string?)p.Labels["probe"] == probe && copy.Name.StartsWith((string)p.Labels["service"]!, StringComparison.Ordinal));
            }
        }

        Assert.Equal(copies.Count * 2, probes.Count);
    }
}
