using Aspire.Hosting;
using Warehouse.Contracts.Hosting;
using Warehouse.Hosting.Monitoring.Exporters;
using Warehouse.Hosting.Postgres;
using Warehouse.Hosting.Redis;
using Warehouse.Testing;

namespace AppHost.Tests;

/// <summary>The local flavour's application model, built as <c>dotnet run --project AppHost</c> builds it, never started.</summary>
public sealed class LocalAppModelTests : IAsyncLifetime
{
    private readonly TempDir _dataDirectory = new("warehouse-model");
    private IDistributedApplicationTestingBuilder _builder = null!;

    public async Task InitializeAsync() =>
        _builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--AppHost:Infrastructure=local", $"--AppHost:DataDirectory={_dataDirectory.Path}"]);

    public async Task DisposeAsync()
    {
        await _builder.DisposeAsync();
        _dataDirectory.Dispose();
    }

    private IResource Resource(string name) => _builder.Resources.Single(resource => resource.Name == name);

    [Theory]
    [InlineData("postgres", "postgresql")]
    [InlineData("redis", "redis-server")]
    [InlineData("prometheus-a", "/usr/bin/prometheus")]
    [InlineData("prometheus-b", "/usr/bin/prometheus")]
    [InlineData("alertmanager-a", "/usr/bin/prometheus-alertmanager")]
    [InlineData("alertmanager-b", "/usr/bin/prometheus-alertmanager")]
    [InlineData("alertmanager-c", "/usr/bin/prometheus-alertmanager")]
    [InlineData("node-exporter", "/usr/bin/prometheus-node-exporter")]
    [InlineData("postgres-exporter", "/usr/bin/prometheus-postgres-exporter")]
    [InlineData("redis-exporter", "/usr/bin/prometheus-redis-exporter")]
    [InlineData("blackbox-exporter", "/usr/bin/prometheus-blackbox-exporter")]
    public async Task Component_is_an_executable_of_the_Debian_binary_with_a_health_check(string name, string binary)
    {
        var executable = Assert.IsAssignableFrom<ExecutableResource>(Resource(name));
        var commandLine = string.Join(' ', [executable.Command, .. await AppModel.ArgumentsAsync(executable)]);

        Assert.Contains(binary, commandLine);
        Assert.NotEmpty(executable.Annotations.OfType<HealthCheckAnnotation>());
    }

    /// <summary>Each listens on loopback on the port its "http" endpoint gets from the orchestrator.</summary>
    [Theory]
    [MemberData(nameof(ExporterModel.NameData), MemberType = typeof(ExporterModel))]
    public async Task Exporter_listens_on_its_endpoint_with_a_health_check_and_no_secret_in_its_arguments(string name)
    {
        var exporter = Assert.IsType<LocalExporterResource>(Resource(name));

        var endpoint = await ExporterModel.AssertExporterAsync(exporter);

        Assert.Null(endpoint.TargetPort);
        Assert.Contains(await AppModel.ArgumentsAsync(exporter), argument => argument!.EndsWith($"127.0.0.1:{{{name}.bindings.http.targetPort}}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("postgres-exporter", "warehousedb")]
    [InlineData("redis-exporter", "redis")]
    public void Exporter_waits_for_what_it_watches(string exporter, string watched)
    {
        Assert.Contains(Resource(exporter).Annotations.OfType<WaitAnnotation>(), wait => wait.Resource.Name == watched);
    }

    /// <summary>
    /// Both reach their server through the orchestrator's proxy, which accepts a connection even when the server is
    /// down: a connect timeout under the 10 s scrape timeout makes that pg_up / redis_up 0, not a failed scrape.
    /// </summary>
    [Fact]
    public async Task Postgres_and_Redis_exporters_time_out_connecting_before_the_scrape_does_and_read_their_secret_from_the_environment()
    {
        var postgres = await AppModel.EnvironmentAsync(Resource("postgres-exporter"));
        var redis = Resource("redis-exporter");
        var redisArguments = await AppModel.ArgumentsAsync(redis);

        Assert.Matches(@"^postgresql://postgres:\{postgres-password\.value\}@\{postgres\.bindings\.tcp\.host\}:\{postgres\.bindings\.tcp\.port\}/warehousedb\?sslmode=disable&connect_timeout=5$",
            postgres["DATA_SOURCE_NAME"]);
        Assert.Equal("5s", redisArguments[redisArguments.IndexOf("-connection-timeout") + 1]);
        Assert.Equal("redis://{redis.bindings.tcp.host}:{redis.bindings.tcp.port}", redisArguments[redisArguments.IndexOf("-redis.addr") + 1]);
        Assert.Equal("{redis-password.value}", (await AppModel.EnvironmentAsync(redis))["REDIS_PASSWORD"]);
    }

    [Fact]
    public void No_container_runs_in_the_local_flavour()
    {
        Assert.Empty(_builder.Resources.OfType<ContainerResource>());
    }

    [Fact]
    public void Postgres_waits_for_its_run_once_initdb_and_keeps_its_state_in_the_data_directory()
    {
        var postgres = Assert.IsType<LocalPostgresServerResource>(Resource("postgres"));
        var init = Assert.IsAssignableFrom<ExecutableResource>(Resource("postgres-init"));

        Assert.Contains(postgres.Annotations.OfType<WaitAnnotation>(), wait => wait.Resource == init && wait.WaitType == WaitType.WaitForCompletion);
        Assert.StartsWith(_dataDirectory.Path, postgres.ClusterDirectory);
        Assert.Equal(Environment.IsPrivilegedProcess ? "runuser" : "/bin/sh", postgres.Command);
    }

    [Fact]
    public void The_database_and_Redis_are_resources_with_connection_strings_like_the_containers()
    {
        Assert.IsType<LocalPostgresDatabaseResource>(Resource("warehousedb"));
        Assert.IsType<LocalRedisResource>(Resource("redis"));
    }

    public static TheoryData<string> LocalSecretNames => new([.. SecretNames.Platform, SecretNames.PasswordOf("postgres"), SecretNames.PasswordOf("redis")]);

    [Theory]
    [MemberData(nameof(LocalSecretNames))]
    public void Secret_is_a_secret_parameter_with_a_default(string name)
    {
        var parameter = Assert.IsType<ParameterResource>(Resource(name));

        Assert.True(parameter.Secret);
        Assert.NotNull(parameter.Default);
    }

    [Theory]
    [MemberData(nameof(AppModelTests.ServiceNames), MemberType = typeof(AppModelTests))]
    public async Task Service_gets_its_fault_file_in_the_data_directory_and_the_fault_commands(string service)
    {
        var project = Resource(service);
        var environment = await AppModel.EnvironmentAsync(project);

        Assert.Equal(Path.Combine(_dataDirectory.Path, "faults", service + ".json"), environment["Faults__File"]);
        var commands = project.Annotations.OfType<ResourceCommandAnnotation>().Select(command => command.Name).ToList();
        Assert.Contains("inject-errors", commands);
        Assert.Contains("inject-latency", commands);
        Assert.Contains("clear-faults", commands);
    }

    [Fact]
    public async Task The_alert_inbox_starts_from_its_built_assembly() =>
        await AppModel.AssertStartsFromBuiltAssemblyAsync(Assert.IsType<ProjectResource>(Resource("alertinbox")));

    [Fact]
    public async Task Alertmanager_delivers_to_the_alert_inbox_which_it_waits_for_and_which_takes_email_on_its_smtp_endpoint()
    {
        var inbox = Assert.IsType<ProjectResource>(Resource("alertinbox"));
        var alertmanager = Resource("alertmanager-b");
        var endpoints = inbox.Annotations.OfType<EndpointAnnotation>().ToDictionary(e => e.Name);

        Assert.Contains(alertmanager.Annotations.OfType<WaitAnnotation>(), wait => wait.Resource == inbox);
        Assert.Equal(("http", "tcp"), (endpoints["http"].UriScheme, endpoints["smtp"].UriScheme));
        Assert.Contains(inbox.Annotations.OfType<HealthCheckAnnotation>(), _ => true);
        // The value is the smtp endpoint's own port, not just any setting of that name.
        Assert.Matches(@"^\{alertinbox\.bindings\.smtp\.(port|targetPort)\}$", (await AppModel.EnvironmentAsync(inbox))["Inbox__SmtpPort"]);
    }

    [Fact]
    public async Task Only_the_gateways_http_endpoint_is_external_and_its_management_port_is_handed_to_it()
    {
        var gateway = Resource("apigateway");
        var endpoints = gateway.Annotations.OfType<EndpointAnnotation>().ToDictionary(e => e.Name);

        Assert.True(endpoints["http"].IsExternal);
        Assert.False(endpoints["management"].IsExternal);
        Assert.Matches(@"^\{apigateway\.bindings\.management\.(port|targetPort)\}$", (await AppModel.EnvironmentAsync(gateway))["Management__Port"]);
        Assert.All(AppModel.Services.Where(s => s != "apigateway"),
            service => Assert.DoesNotContain(Resource(service).Annotations.OfType<EndpointAnnotation>(), e => e.Name == "management"));
    }

    [Fact]
    public async Task Alertmanagers_form_a_cluster_each_on_its_own_allocated_port_with_every_other_as_a_peer()
    {
        string[] members = ["alertmanager-a", "alertmanager-b", "alertmanager-c"];
        foreach (var member in members)
        {
            var arguments = await AppModel.ArgumentsAsync(Resource(member));
            var cluster = Assert.Single(Resource(member).Annotations.OfType<EndpointAnnotation>(), e => e.Name == "cluster");

            Assert.Null(cluster.TargetPort);
            Assert.Contains($"--cluster.listen-address=127.0.0.1:{{{member}.bindings.cluster.targetPort}}", arguments);
            Assert.Equal(
                [.. members.Where(other => other != member).Select(other => $"--cluster.peer=127.0.0.1:{{{other}.bindings.cluster.port}}")],
                arguments.Where(argument => argument!.StartsWith("--cluster.peer=", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task Each_Prometheus_has_its_replica_label_and_waits_for_every_Alertmanager()
    {
        string[] alertmanagers = ["alertmanager-a", "alertmanager-b", "alertmanager-c"];
        foreach (var replica in new[] { "a", "b" })
        {
            var prometheus = Resource($"prometheus-{replica}");

            Assert.Equal(replica, (await AppModel.EnvironmentAsync(prometheus))["PROMETHEUS_REPLICA"]);
            Assert.Contains("--enable-feature=expand-external-labels", await AppModel.ArgumentsAsync(prometheus));
            Assert.Equal(alertmanagers, prometheus.Annotations.OfType<WaitAnnotation>().Select(wait => wait.Resource.Name).Order());
            Assert.StartsWith(Path.Combine(_dataDirectory.Path, $"prometheus-{replica}"), ((ExecutableResource)prometheus).WorkingDirectory);
        }
    }

    [Fact]
    public async Task High_availability_off_runs_one_Prometheus_and_one_Alertmanager_under_the_same_names_without_clustering()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--AppHost:Infrastructure=local", $"--AppHost:DataDirectory={_dataDirectory.Path}", "--AppHost:Monitoring:HighAvailability=false"]);
        var names = builder.Resources.Select(resource => resource.Name).ToList();
        var alertmanager = builder.Resources.Single(resource => resource.Name == "alertmanager-a");

        Assert.Equal(["prometheus-a"], names.Where(name => name.StartsWith("prometheus-", StringComparison.Ordinal)));
        Assert.Equal(["alertmanager-a"], names.Where(name => name.StartsWith("alertmanager-", StringComparison.Ordinal)));
        Assert.Contains("--cluster.listen-address=", await AppModel.ArgumentsAsync(alertmanager));
        Assert.DoesNotContain(alertmanager.Annotations.OfType<EndpointAnnotation>(), e => e.Name == "cluster");
    }
}
