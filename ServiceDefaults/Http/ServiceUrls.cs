using Microsoft.Extensions.Configuration;

namespace Warehouse.ServiceDefaults.Http;

/// <summary>
/// Reads service URLs the way Aspire hands them out (<c>services__{name}__http__0</c>); it stands in for
/// Microsoft.Extensions.ServiceDiscovery, which the package feed does not carry.
/// </summary>
public static class ServiceUrls
{
    public static Uri GetServiceUri(this IConfiguration configuration, string serviceName) =>
        Uri.TryCreate(configuration[$"services:{serviceName}:http:0"], UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"services:{serviceName}:http:0 is not configured (environment variable services__{serviceName}__http__0).");
}
