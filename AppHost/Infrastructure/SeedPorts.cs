using Microsoft.Extensions.Configuration;
using System.Net;
using System.Net.Sockets;

namespace AppHost.Infrastructure;

/// <summary>
/// The fixed ports people know (the services' 8000–8004, Prometheus's 9090, Alertmanager's 9093): a port another
/// process holds stops the start with the component's name, instead of a proxy error deep in the orchestrator's log.
/// Tests randomise every port, so they are not checked then.
/// </summary>
internal static class SeedPorts
{
    /// <summary>
    /// The seed port when people run the AppHost, null under Aspire.Hosting.Testing (which randomises ports): a fixed
    /// port is bound by the component itself, without the orchestrator's proxy in between.
    /// </summary>
    public static int? Fixed(IDistributedApplicationBuilder builder, int seed) =>
        builder.ExecutionContext.IsRunMode && !AreRandomised(builder.Configuration) ? seed : null;

    public static bool AreRandomised(IConfiguration configuration) =>
        string.Equals(configuration["DcpPublisher:RandomizePorts"], "true", StringComparison.OrdinalIgnoreCase);

    public static void EnsureFree(DistributedApplicationModel model)
    {
        var busy = model.Resources
            .SelectMany(resource => resource.Annotations.OfType<EndpointAnnotation>()
                .Where(endpoint => endpoint.Port is not null)
                .Select(endpoint => (Resource: resource.Name, Port: endpoint.Port!.Value)))
            .Where(seed => InUse(seed.Port))
            .Select(seed => $"{seed.Port} ({seed.Resource})")
            .ToList();
        if (busy.Count > 0)
        {
            throw new DistributedApplicationException(
                $"Port {string.Join(", ", busy)} is in use by another process. Stop it (another AppHost of this platform?) and start again.");
        }
    }

    /// <summary>"apigateway http://localhost:8000, ..." for the terminal: where people point a browser or curl.</summary>
    public static string Describe(DistributedApplicationModel model) => string.Join(", ", model.Resources
        .SelectMany(resource => resource.Annotations.OfType<EndpointAnnotation>()
            .Where(endpoint => endpoint.Port is not null && endpoint.UriScheme == "http")
            .Select(endpoint => $"{resource.Name} http://localhost:{endpoint.Port}")));

    private static bool InUse(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
