using Microsoft.Extensions.Options;

using Microsoft.AspNetCore.Http.Features;

namespace Warehouse.ApiGateway.Proxy;

public sealed class GatewayLimits
{
    public const string SectionName = "Gateway";

    /// <summary>Largest body for ordinary API calls.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest CSV upload; the import service enforces its own limit too.</summary>
    public long MaxImportBodyBytes { get; set; } = 512L * 1024 * 1024;
}

/// <summary>Rejects oversized bodies before they are proxied: by Content-Length up front, and by Kestrel while streaming.</summary>
internal sealed class RequestSizeLimitMiddleware(RequestDelegate next, IOptions<GatewayLimits> limits)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = context.Request.Path.StartsWithSegments("/api/imports") ? limits.Value.MaxImportBodyBytes : limits.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            await Results.Problem(
                title: "Request body too large",
                detail: $"The body is {context.Request.ContentLength} bytes; the limit for this route is {limit} bytes.",
                statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        await next(context);
    }
}
