using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Warehouse.Hosting.Monitoring.Exporters;

public static class BlackboxExporterBuilderExtensions
{
    public const string Image = "prom/blackbox-exporter";

    public const string Tag = "v0.27.0";

    private const int Port = 9115;

    /// <summary>blackbox_exporter 0.23 from Debian's package with the modules of <paramref name="configFile"/>.</summary>
    public static IResourceBuilder<LocalExporterResource> AddLocalBlackboxExporter(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        string workingDirectory,
        string configFile) =>
        builder.AddLocalExporter(name, "/usr/bin/prometheus-blackbox-exporter", "prometheus-blackbox-exporter", workingDirectory,
            address => [$"--config.file={configFile}", ReferenceExpression.Create($"--web.listen-address={address}")]);

    /// <summary>
    /// blackbox_exporter from its image with the modules of <paramref name="configFile"/>, mounted read-only where the
    /// image's command reads its config.
    /// </summary>
    public static IResourceBuilder<ExporterResource> AddBlackboxExporter(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        string configFile) =>
        builder.AddExporter(name, Image, Tag, Port)
            .WithBindMount(configFile, "/etc/blackbox_exporter/config.yml", isReadOnly: true);
}
