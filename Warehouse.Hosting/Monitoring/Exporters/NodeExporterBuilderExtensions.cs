using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Warehouse.Hosting.Monitoring.Exporters;

public static class NodeExporterBuilderExtensions
{
    public const string Image = "prom/node-exporter";

    public const string Tag = "v1.9.1";

    private const int Port = 9100;

    /// <summary>
    /// node_exporter 1.5 from Debian's package, watching this machine, and the <c>*.prom</c> files of
    /// <paramref name="textfileDirectory"/> (the textfile collector). The systemd collector, on in Debian's build, is
    /// off: it asks systemd over D-Bus, which a developer's container or a CI runner need not have.
    /// </summary>
    public static IResourceBuilder<LocalExporterResource> AddLocalNodeExporter(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        string workingDirectory,
        string textfileDirectory) =>
        builder.AddLocalExporter(name, "/usr/bin/prometheus-node-exporter", "prometheus-node-exporter", workingDirectory,
            address => ["--no-collector.systemd", Textfile(textfileDirectory), ReferenceExpression.Create($"--web.listen-address={address}")]);

    /// <summary>
    /// node_exporter from its image, watching the Docker host: the host's root, read-only, as node_exporter's README
    /// runs it in a container (without it the filesystem alerts would watch the container's own overlay, not the
    /// host's disks), and <paramref name="textfileDirectory"/> read-only for the textfile collector.
    /// </summary>
    public static IResourceBuilder<ExporterResource> AddNodeExporter(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        string textfileDirectory) =>
        builder.AddExporter(name, Image, Tag, Port)
            .WithBindMount("/", "/host", isReadOnly: true)
            .WithBindMount(textfileDirectory, "/textfile", isReadOnly: true)
            .WithArgs("--path.rootfs=/host", Textfile("/textfile"));

    private static string Textfile(string directory) => $"--collector.textfile.directory={directory}";
}
