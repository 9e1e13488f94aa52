using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Warehouse.Faults;

internal sealed class FaultInjectionMiddleware(RequestDelegate next, IOptionsMonitor<FaultOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var faults = options.CurrentValue;
        if ((faults.ErrorRate > 0 || faults.LatencyMs > 0) && context.Request.Path.StartsWithSegments(faults.PathPrefix))
        {
            if (faults.LatencyMs > 0)
            {
                await Task.Delay(faults.LatencyMs, context.RequestAborted);
            }

            if (Random.Shared.NextDouble() < faults.ErrorRate)
            {
                await Results.Problem(title: "Injected fault", detail: "A fault switch is on for this service.", statusCode: StatusCodes.Status500InternalServerError)
                    .ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    }
}
