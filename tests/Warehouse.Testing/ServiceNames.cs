using Warehouse.Contracts.Hosting;

namespace Warehouse.Testing;

/// <summary>The platform's services: their resource names, Prometheus jobs and OTEL_SERVICE_NAMEs.</summary>
public static class ServiceNames
{
    public const string Gateway = "apigateway";

    public static readonly IReadOnlyList<string> All = [Gateway, "taskservice", "importservice", "realtimeworker"];

    /// <summary>
    /// The endpoint that answers <c>/health</c>, <c>/alive</c> and <c>/metrics</c>: the gateway's public "http" port does
    /// not, its internal "management" port does; the other services answer on "http".
    /// </summary>
    public static string ManagementEndpoint(string service) => service == Gateway ? EndpointNames.Management : EndpointNames.Http;
}
