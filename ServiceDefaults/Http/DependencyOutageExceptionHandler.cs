using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Warehouse.ServiceDefaults.Http;

/// <summary>
/// A request that failed because Postgres or Redis is unreachable is the platform's condition, not the caller's
/// fault or a bug: 503 with <c>Retry-After</c> and problem details whose <c>dependency</c> names the server. Handled
/// here, the exception is not logged per request (.NET 10 suppresses diagnostics for handled exceptions); the
/// <see cref="OutageLog"/> logs the outage once per burst instead.
/// </summary>
internal sealed class DependencyOutageExceptionHandler(IEnumerable<DependencyOutage> dependencies, OutageLog log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (dependencies.FirstOrDefault(d => d.Recognises(exception)) is not { } outage)
        {
            return false;
        }

        log.Failed(outage.Dependency, exception);
        outage.Met?.Invoke(httpContext.RequestServices);
        var seconds = (int)DependencyOutage.RetryAfter.TotalSeconds;
        httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "A dependency is unavailable",
            detail: $"The service cannot reach {outage.Dependency} right now. Try again in {seconds} seconds.",
            extensions: new Dictionary<string, object?> { ["dependency"] = outage.Dependency }).ExecuteAsync(httpContext);
        return true;
    }
}
