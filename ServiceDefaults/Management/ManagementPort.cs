using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Warehouse.ServiceDefaults.Management;

/// <summary>
/// Keeps the probe and scrape endpoints off a public port. With <c>Management:Port</c> set (the AppHost gives the
/// gateway a "management" endpoint), an endpoint marked <see cref="Endpoint"/> answers only on a connection to that
/// port, and 404 on any other, as if it did not exist. The check runs on the endpoint routing chose, so every spelling
/// of the path that reaches it (case, dot segments, percent-encoding) is covered, and it reads the socket's local port,
/// which a client cannot forge as it can a Host header (which is why this is not <c>RequireHost</c>).
/// </summary>
public static class ManagementPort
{
    public const string ConfigurationKey = "Management:Port";

    /// <summary>Marks an endpoint as management-only.</summary>
    public static readonly object Endpoint = new ManagementEndpointMetadata();

    public static IApplicationBuilder UseManagementPort(this WebApplication app)
    {
        if (app.Configuration.GetValue<int?>(ConfigurationKey) is not { } port)
        {
            return app;
        }

        return app.Use((context, next) =>
        {
            if (context.Connection.LocalPort != port && context.GetEndpoint()?.Metadata.GetMetadata<ManagementEndpointMetadata>() is not null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
    }

    private sealed class ManagementEndpointMetadata;
}
