using System.Buffers;
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

    /// <summary>After refusing a body, how much more of it the gateway reads and discards so the client sees the 413.</summary>
    public long MaxLingerBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How long the gateway keeps reading a refused body, like nginx's lingering_time.</summary>
    public TimeSpan LingerTime { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Rejects oversized bodies before they are proxied: by Content-Length up front, and while a chunked body streams.
/// Either way the answer is a 413 problem, and the gateway then lingers: it reads and discards the rest of the body
/// (within <see cref="GatewayLimits.MaxLingerBytes"/> and <see cref="GatewayLimits.LingerTime"/>) before the connection
/// closes. Closing a socket with unread bytes makes the kernel reset it, and a client still sending then sees a broken
/// pipe instead of the 413 (nginx's lingering close exists for the same reason).
/// </summary>
internal sealed class RequestSizeLimitMiddleware(RequestDelegate next, IOptions<GatewayLimits> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limits = options.Value;
        var limit = context.Request.Path.StartsWithSegments("/api/imports") ? limits.MaxImportBodyBytes : limits.MaxRequestBodyBytes;
        var declared = context.Request.ContentLength;
        var streamed = declared is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;
        if (!(declared > limit) && !streamed)
        {
            // A declared length within the route's limit may still be over Kestrel's default one (imports).
            SetKestrelLimit(context, limit);
            await next(context);
            return;
        }

        // From here on the gateway counts, not Kestrel: Kestrel's limit would fail the body for good at the limit and
        // leave the rest unread, with nothing left to linger on.
        SetKestrelLimit(context, null);
        var body = context.Request.Body;
        if (streamed)
        {
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

            if (!counted.LimitExceeded || context.Response.HasStarted)
            {
                return;
            }

            context.Response.Clear();
        }

        await Results.Problem(
            title: "Request body too large",
            detail: declared is { } length
                ? $"The body is {length} bytes; the limit for this route is {limit} bytes."
                : $"The chunked body went past {limit} bytes; the limit for this route is {limit} bytes.",
            statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(context);
        await context.Response.CompleteAsync();
        await LingerAsync(body, limits, context.RequestAborted);
    }

    private static void SetKestrelLimit(HttpContext context, long? limit)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
    }

    private static async Task LingerAsync(Stream body, GatewayLimits limits, CancellationToken aborted)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        budget.CancelAfter(limits.LingerTime);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            for (long discarded = 0; discarded < limits.MaxLingerBytes;)
            {
                var read = await body.ReadAsync(buffer, budget.Token);
                if (read == 0)
                {
                    return;
                }

                discarded += read;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException)
        {
            // Out of time, or the client gave up: the connection closes either way; the 413 has been sent.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
