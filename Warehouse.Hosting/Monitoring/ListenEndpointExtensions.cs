using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Warehouse.Hosting.Monitoring;

public static class ListenEndpointExtensions
{
    /// <summary>
    /// An "http" endpoint passed to the binary as a listen address on loopback (<paramref name="arguments"/> gets
    /// <c>127.0.0.1:&lt;port&gt;</c>): a fixed <paramref name="port"/> is bound by the binary itself, else the orchestrator
    /// allocates one behind its proxy. And a health check, on <c>/metrics</c> unless told otherwise (Prometheus and
    /// Alertmanager: <c>/-/ready</c> answering 401, since Aspire's probe has no credentials: up and refusing strangers).
    /// </summary>
    public static IResourceBuilder<T> WithListenEndpoint<T>(
        this IResourceBuilder<T> executable,
        Func<ReferenceExpression, IEnumerable<object>> arguments,
        int? port = null,
        string healthPath = "/metrics",
        int? healthStatus = null)
        where T : ExecutableResource
    {
        var address = ReferenceExpression.Create($"127.0.0.1:{executable.GetEndpoint("http").Property(EndpointProperty.TargetPort)}");
        return executable
            .WithHttpEndpoint(port: port, targetPort: port, name: "http", isProxied: port is null)
            .WithArgs(context =>
            {
                foreach (var argument in arguments(address))
                {
                    context.Args.Add(argument);
                }
            })
            .WithHttpHealthCheck(healthPath, healthStatus);
    }
}
