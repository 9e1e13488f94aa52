using System.Globalization;
using Warehouse.ServiceDefaults.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Warehouse.ApiGateway.Proxy;

/// <summary>
/// YARP answers a service that is down, has no instance or is too slow with a bare 502, 503 or 504 and no body.
/// Behind the proxy, this turns them into problem details that name the service (the route's cluster) in
/// <c>dependency</c>, with <c>Retry-After</c> where waiting helps (a restarting service).
/// </summary>
public static class ProxyErrorProblems
{
    public static async Task WriteAsync(HttpContext context, RequestDelegate next)
    {
        await next(context);
        if (context.Features.Get<IForwarderErrorFeature>() is null || context.Response.HasStarted)
        {
            return;
        }

        var service = context.GetReverseProxyFeature().Route.Config.ClusterId;
        var retryAfter = (int)DependencyOutage.RetryAfter.TotalSeconds;
        var (title, detail) = context.Response.StatusCode switch
        {
            StatusCodes.Status502BadGateway => ($"{service} is unavailable", $"The gateway could not get an answer from {service}. Try again in {retryAfter} seconds."),
            StatusCodes.Status503ServiceUnavailable => ($"{service} is unavailable", $"No instance of {service} is available. Try again in {retryAfter} seconds."),
            StatusCodes.Status504GatewayTimeout => ($"{service} did not answer in time", $"{service} did not answer within the gateway's time limit."),
            // A client that went away or sent a broken body: YARP's status stands, there is nobody to tell.
            _ => (null, null),
        };
        if (title is null)
        {
            return;
        }

        if (context.Response.StatusCode != StatusCodes.Status504GatewayTimeout)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        }

        await TypedResults.Problem(
            statusCode: context.Response.StatusCode,
            title: title,
            detail: detail,
            extensions: new Dictionary<string, object?> { ["dependency"] = service }).ExecuteAsync(context);
    }
}
