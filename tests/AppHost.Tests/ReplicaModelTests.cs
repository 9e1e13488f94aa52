using Aspire.Hosting;
using Warehouse.Testing;

namespace AppHost.Tests;

/// <summary><c>AppHost:Replicas:&lt;service&gt;</c>: copies of a service in the local flavour's model, never started.</summary>
public sealed class ReplicaModelTests : IAsyncLifetime
{
    private readonly TempDir _dataDirectory = new("warehouse-replicas");
    private IDistributedApplicationTestingBuilder _builder = null!;

    public async Task InitializeAsync() => _builder = await CreateAsync(
        "--AppHost:Replicas:taskservice=2", "--AppHost:Replicas:realtimeworker=3", "--AppHost:Replicas:apigateway=2");

    public async Task DisposeAsync()
    {
        await _builder.DisposeAsync();
        _dataDirectory.Dispose();
    }

    [Fact]
    public void Each_copy_is_a_resource_of_its_own_on_its_own_seed_port()
    {
        Assert.Equal(["alertinbox", "apigateway", "apigateway-2", "importservice", "realtimeworker", "realtimeworker-2", "realtimeworker-3", "taskservice", "taskservice-2"],
            _builder.Resources.OfType<ProjectResource>().Select(p => p.Name).Order());
        Assert.Equal(8024, HttpPort("realtimeworker-3"));
        Assert.Equal(8011, HttpPort("taskservice-2"));
        Assert.Equal(8110, Resource("apigateway-2").Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "management").Port);
    }

    [Theory]
    [InlineData("taskservice-2", "taskservice")]
    [InlineData("realtimeworker-3", "realtimeworker")]
    [InlineData("apigateway-2", "apigateway")]
    public async Task Every_copy_reports_its_telemetry_as_its_service(string copy, string service) =>
        Assert.Equal(service, (await AppModel.EnvironmentAsync(Resource(copy)))["OTEL_SERVICE_NAME"]);

    [Theory]
    [InlineData("apigateway")]
    [InlineData("apigateway-2")]
    public async Task Every_gateway_discovers_every_copy_of_each_backend_under_its_name_and_starts_without_waiting_for_them(string gateway)
    {
        var environment = await AppModel.EnvironmentAsync(Resource(gateway));
        Assert.Equal("{taskservice-2.bindings.http.url}", environment["services__taskservice__http__1"]);
        Assert.Equal("{realtimeworker-3.bindings.http.url}", environment["services__realtimeworker__http__2"]);
        Assert.DoesNotContain("services__importservice__http__1", environment.Keys);
        Assert.Empty(Resource(gateway).Annotations.OfType<WaitAnnotation>());
    }

    /// <summary>Its jobs and their files are claimed from Postgres, so it runs as copies like any other service.</summary>
    [Fact]
    public async Task Importservice_runs_as_copies_too()
    {
        await using var builder = await CreateAsync("--AppHost:Replicas:importservice=2");
        var copy = builder.Resources.Single(resource => resource.Name == "importservice-2");
        Assert.Equal(8013, copy.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http").Port);
        Assert.Equal("importservice", (await AppModel.EnvironmentAsync(copy))["OTEL_SERVICE_NAME"]);
    }

    [Theory]
    [InlineData("taskservice", "0", "a number of copies from 1 to 9")]
    [InlineData("taskservice", "ten", "a number of copies from 1 to 9")]
    public async Task A_count_that_cannot_run_stops_the_AppHost_naming_the_setting(string service, string count, string reason)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await (await CreateAsync($"--AppHost:Replicas:{service}={count}")).DisposeAsync());
        Assert.Contains($"AppHost:Replicas:{service}", error.ToString());
        Assert.Contains(reason, error.ToString());
    }

    private Task<IDistributedApplicationTestingBuilder> CreateAsync(params string[] replicas) =>
        DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--AppHost:Infrastructure=local", $"--AppHost:DataDirectory={_dataDirectory.Path}", .. replicas]);

    private IResource Resource(string name) => _builder.Resources.Single(resource => resource.Name == name);

    private int? HttpPort(string name) => Resource(name).Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http").Port;
}
