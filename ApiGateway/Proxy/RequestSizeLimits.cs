using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Warehouse.ApiGateway.Proxy;

public sealed class GatewayLimits
{
    public const string SectionName = "Gateway";

    /// <summary>Largest body for ordinary API calls.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest CSV upload; the import service enforces its own limit too.</summary>
    public long MaxImportBodyBytes { get; set; } = 512L * 1024 * 1024;
}

/// <summary>
/// Rejects oversized bodies before they are proxied with a 413 problem: by Content-Length up front, and by counting
/// while a chunked body streams. Either way Kestrel then drains what the client is still sending (for up to 5 s) before
/// the connection closes, so the client reads the 413: a socket closed with unread bytes is reset by the kernel, and a
/// client still writing sees a broken pipe instead. The gateway counts chunked bodies itself because Kestrel's own
/// limit, once hit, fails the body for good and skips that drain.
/// </summary>
internal sealed class RequestSizeLimitMiddleware(RequestDelegate next, IOptions<GatewayLimits> limits)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = context.Request.Path.StartsWithSegments("/api/imports") ? limits.Value.MaxImportBodyBytes : limits.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength is { } length && length > limit)
        {
            await TooLarge(context, $"The body is {length} bytes; the limit for this route is {limit} bytes.");
            return;
        }

        var streamed = context.Request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } kestrelLimit)
        {
            // A declared length within the route's limit may still be over Kestrel's default limit (imports).
            kestrelLimit.MaxRequestBodySize = streamed ? null : limit;
        }

        if (!streamed)
        {
            await next(context);
            return;
        }

        var body = context.Request.Body;
        var counted = new LengthLimitedStream(body, limit);
        context.Request.Body = counted;
        try
        {
            await next(context);
        }
        finally
        {
            context.Request.Body = body;
        }

        // The proxy answered the failed read with a 400 of its own and has sent nothing yet.
        if (counted.LimitExceeded && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await TooLarge(context, $"The chunked body went past {limit} bytes; the limit for this route is {limit} bytes.");
        }
    }

    private static Task TooLarge(HttpContext context, string detail) =>
        Results.Problem(title: "Request body too large", detail: detail, statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(context);
}
