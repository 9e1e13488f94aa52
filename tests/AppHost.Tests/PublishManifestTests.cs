using System.Reflection;
using System.Text.Json.Nodes;
using Warehouse.Testing;

namespace AppHost.Tests;

/// <summary>
/// <c>dotnet run --project AppHost -- --publisher manifest</c>, as azd runs it, on a machine whose container runtime
/// does not answer: publishing describes the containers and starts nothing, so it must not need one.
/// </summary>
public sealed class PublishManifestTests
{
    private static readonly string Configuration =
        typeof(PublishManifestTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    [Fact]
    public async Task Manifest_publishes_without_a_container_runtime_and_holds_the_platform()
    {
        using var output = new TempDir("warehouse-manifest");
        var result = await Tool.RunAsync(
            "dotnet",
            ["run", "--no-build", "-c", Configuration, "--project", "AppHost", "--", "--publisher", "manifest", "--output-path", output.Path],
            // Whatever this machine has, the runtime the AppHost would ask is one that cannot answer.
            environment: new Dictionary<string, string> { ["ASPIRE_CONTAINER_RUNTIME"] = "docker", ["DOCKER_HOST"] = "unix:///nonexistent/docker.sock" },
            timeout: TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0, result.ToString());

        var resources = JsonNode.Parse(File.ReadAllText(Path.Combine(output.Path, "aspire-manifest.json")))!["resources"]!.AsObject();

        Assert.Equal("container.v0", (string?)resources["postgres"]?["type"]);
        Assert.Equal("container.v0", (string?)resources["redis"]?["type"]);
        Assert.NotNull(resources["warehousedb"]);
        Assert.All(ServiceNames.All, service => Assert.Equal("project.v0", (string?)resources[service]?["type"]));
        // The monitoring stack is run mode only: a deployment brings its own (deploy/kubernetes, monitoring/README.md).
        Assert.Null(resources["prometheus-a"]);
        Assert.Null(resources["alertmanager-a"]);
        Assert.Contains("{warehousedb.connectionString}", (string?)resources["taskservice"]!["env"]!["ConnectionStrings__warehousedb"]);
    }
}
