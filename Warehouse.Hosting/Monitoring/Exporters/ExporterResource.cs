using Aspire.Hosting.ApplicationModel;

namespace Warehouse.Hosting.Monitoring.Exporters;

/// <summary>A Prometheus exporter, whichever way it runs: the endpoint Prometheus scrapes.</summary>
public interface IExporterResource : IResourceWithEndpoints
{
    /// <summary>Its metrics (and, for the blackbox exporter, its probes): plain HTTP, no auth.</summary>
    EndpointReference PrimaryEndpoint { get; }
}

/// <summary>An exporter from its official image, on the exporter's own port.</summary>
public sealed class ExporterResource(string name) : ContainerResource(name), IExporterResource
{
    internal const string PrimaryEndpointName = "http";

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);
}

/// <summary>An exporter from Debian's package, on a loopback port the orchestrator allocates.</summary>
public sealed class LocalExporterResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IExporterResource
{
    public EndpointReference PrimaryEndpoint => field ??= new(this, ExporterResource.PrimaryEndpointName);
}
