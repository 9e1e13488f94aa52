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

    /// <summary>The file_sd files written into a Prometheus container when it is created (<c>targets/</c>), by name.</summary>
    public static async Task<Dictionary<string, string>> TargetFilesAsync(IResource prometheus)
    {
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
