using System.Text.Json.Nodes;
using Aspire.Hosting;

namespace AppHost.Tests;

/// <summary>
/// Copies of services in the containers flavour's model, never started (no Docker): every Prometheus probes every copy
/// on its own port, each its own <c>instance</c>, as the local flavour does. The copies' metrics arrive by OTLP through
/// the Collector, each copy under its own <c>service.instance.id</c>, so there is nothing of theirs to scrape.
/// </summary>
public sealed class ContainerReplicaModelTests : IAsyncLifetime
{
    private IDistributedApplicationTestingBuilder _builder = null!;

    public async Task InitializeAsync() => _builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
        ["--AppHost:Infrastructure=containers", "--AppHost:Replicas:taskservice=2", "--AppHost:Replicas:realtimeworker=2", "--AppHost:Replicas:apigateway=2"]);

    public async Task DisposeAsync() => await _builder.DisposeAsync();

    [Theory]
    [InlineData("prometheus-a")]
    [InlineData("prometheus-b")]
    public async Task Prometheus_probes_every_copy_of_every_service_through_the_blackbox_exporter_on_the_copys_own_port(string prometheus)
    {
        var targets = await AppModel.TargetFilesAsync(_builder, prometheus);

        var probes = JsonNode.Parse(targets["blackbox.json"])!.AsArray().Select(group => group!.AsObject()).ToList();
        Assert.All(probes, group => Assert.Equal("blackbox-exporter:9115", Assert.Single(group["targets"]!.AsArray())!.GetValue<string>()));
        Assert.All(probes, group => Assert.Equal("http_2xx", group["labels"]!["__param_module"]!.GetValue<string>()));
        var probed = probes.Select(group => group["labels"]!)
            .Select(labels => $"{labels["service"]} {labels["probe"]} {labels["__param_target"]}");
        var expected = new (string Service, int Port)[]
        {
            ("apigateway", 8100), ("apigateway", 8110), ("taskservice", 8001), ("taskservice", 8011),
            ("importservice", 8003), ("realtimeworker", 8004), ("realtimeworker", 8014),
        }.SelectMany(copy => new[] { "alive", "health" }.Select(probe => $"{copy.Service} {probe} http://host.docker.internal:{copy.Port}/{probe}"));
        Assert.Equal(expected.Order(), probed.Order());
    }
}
