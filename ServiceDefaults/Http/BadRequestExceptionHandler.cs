using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Warehouse.ServiceDefaults.Http;

/// <summary>
/// Turns a body that is not valid JSON (or not the expected shape) into problem details naming the JSON path,
/// instead of a bare 400.
/// </summary>
internal sealed class BadRequestExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var field = (badRequest.InnerException as JsonException)?.Path;
        var errors = new Dictionary<string, string[]>
        {
            [string.IsNullOrEmpty(field) ? "body" : field] = [badRequest.InnerException?.Message ?? badRequest.Message],
        };
        await TypedResults.ValidationProblem(errors, title: "The request body is not valid", detail: badRequest.Message)
            .ExecuteAsync(httpContext);
        return true;
    }
}
