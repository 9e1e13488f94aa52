using Aspire.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

// The AppHost's entry point runs once per builder; model tests and the smoke run must not overlap.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace AppHost.Tests;

/// <summary>
/// The AppHost's application model, built the way <c>dotnet run --project AppHost</c> builds it (run mode)
/// but never started: no Docker, no DCP.
/// </summary>
public sealed class AppModel : IAsyncLifetime
{
    public static IReadOnlyList<string> Services => Warehouse.Testing.ServiceNames.All;

    public IDistributedApplicationTestingBuilder Builder { get; private set; } = null!;

    public string MonitoringDirectory => Path.GetFullPath(Path.Combine(Builder.AppHostDirectory, "..", "monitoring"));

    public async Task InitializeAsync() =>
        Builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(["--AppHost:Infrastructure=containers"]);

    public async Task DisposeAsync() => await Builder.DisposeAsync();

    public IResource Resource(string name) => Builder.Resources.Single(resource => resource.Name == name);

    public IEnumerable<ContainerResource> Containers => Builder.Resources.OfType<ContainerResource>();

    /// <summary>
    /// Environment as the publish manifest writes it: references stay expressions such as
    /// <c>{warehousedb.connectionString}</c> or <c>{jwt-signing-key.value}</c>, so nothing needs a value or a port.
    /// </summary>
    public static async Task<Dictionary<string, string>> EnvironmentAsync(IResource resource)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new(DistributedApplicationOperation.Publish), NullLogger.Instance, CancellationToken.None);

        Assert.Null(configuration.Exception);
        return configuration.EnvironmentVariables.ToDictionary();
    }

    /// <summary>Started as <c>dotnet exec</c> of the project's built assembly, in the project's directory.</summary>
    public static async Task AssertStartsFromBuiltAssemblyAsync(ProjectResource project)
    {
        var projectPath = project.GetProjectMetadata().ProjectPath;
        var launch = Assert.Single(project.Annotations.OfType<ExecutableAnnotation>());
        var arguments = await ArgumentsAsync(project);

        Assert.Equal(("dotnet", Path.GetDirectoryName(projectPath)), (launch.Command, launch.WorkingDirectory));
        Assert.Equal("exec", arguments[0]);
        Assert.Equal(Path.GetFileNameWithoutExtension(projectPath) + ".dll", Path.GetFileName(arguments[1]));
        Assert.True(File.Exists(arguments[1]), arguments[1]);
    }

    /// <summary>
    /// The file_sd files written into a Prometheus container (<c>targets/</c>) of <paramref name="builder"/>'s model, by
    /// name, once every project endpoint has a port (as the orchestrator gives them when it runs the model): the probes
    /// of the services on the host name their ports.
    /// </summary>
    public static async Task<Dictionary<string, string>> TargetFilesAsync(IDistributedApplicationTestingBuilder builder, string prometheusName)
    {
        var port = 20000;
        foreach (var endpoint in builder.Resources.OfType<ProjectResource>().SelectMany(project => project.Annotations.OfType<EndpointAnnotation>()))
        {
            endpoint.AllocatedEndpoint ??= new AllocatedEndpoint(endpoint, "localhost", endpoint.Port ?? port++);
        }

        var prometheus = builder.Resources.Single(resource => resource.Name == prometheusName);
        var files = new List<ContainerFileSystemItem>();
        foreach (var annotation in prometheus.Annotations.OfType<ContainerFileSystemCallbackAnnotation>())
        {
            files.AddRange(await annotation.Callback(new ContainerFileSystemCallbackContext { Model = prometheus, Services = null! }, CancellationToken.None));
        }

        return Assert.IsType<ContainerDirectory>(Assert.Single(files, file => file.Name == "targets")).Entries
            .OfType<ContainerFile>().ToDictionary(file => file.Name, file => file.Contents ?? "");
    }

    public static async Task<List<string?>> ArgumentsAsync(IResource resource)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithArgumentsConfig()
            .BuildAsync(new(DistributedApplicationOperation.Publish), NullLogger.Instance, CancellationToken.None);

        Assert.Null(configuration.Exception);
        return configuration.Arguments.Select(argument => argument.Value?.ToString()).ToList();
    }
}
