using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Warehouse.Hosting.Monitoring.Exporters;

/// <summary>What every exporter has, whichever way it runs: an "http" endpoint serving <c>/metrics</c>, its health.</summary>
internal static class ExporterBuilderExtensions
{
    private const string HealthPath = "/metrics";

    private const string IconName = "DataUsage";

    /// <summary>The exporter's image, its metrics on <paramref name="port"/> (the exporter's default) inside the container.</summary>
    public static IResourceBuilder<ExporterResource> AddExporter(
        this IDistributedApplicationBuilder builder, string name, string image, string tag, int port) =>
        builder.AddResource(new ExporterResource(name))
            .WithImage(image, tag)
            .WithHttpEndpoint(targetPort: port, name: ExporterResource.PrimaryEndpointName)
            .WithHttpHealthCheck(HealthPath)
            .WithIconName(IconName);

    /// <summary>Debian's binary; <paramref name="arguments"/> gets the listen address (<see cref="ListenEndpointExtensions.WithListenEndpoint"/>).</summary>
    public static IResourceBuilder<LocalExporterResource> AddLocalExporter(
        this IDistributedApplicationBuilder builder,
        string name,
        string binary,
        string aptPackage,
        string workingDirectory,
        Func<ReferenceExpression, IEnumerable<object>> arguments) =>
        builder.AddResource(new LocalExporterResource(name, LocalBinaries.Require(binary, aptPackage), DataDirectory.Create(workingDirectory)))
            .WithListenEndpoint(arguments, healthPath: HealthPath)
            .WithIconName(IconName);
}
