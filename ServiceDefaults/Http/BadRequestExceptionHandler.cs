using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Warehouse.ServiceDefaults.Http;

/// <summary>
/// Turns a request the framework could not bind into problem details that name what was wrong: the JSON path of a
/// body that is not valid JSON (or not the expected shape), or the query or route parameter that did not parse; a
/// body of the wrong media type stays a 415.
/// </summary>
internal sealed partial class BadRequestExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        if (badRequest.StatusCode != StatusCodes.Status400BadRequest)
        {
            // 413, 415 and the like keep their status; a 415's detail comes from the problem details options.
            var detail = badRequest.StatusCode == StatusCodes.Status415UnsupportedMediaType ? null : badRequest.Message;
            await TypedResults.Problem(statusCode: badRequest.StatusCode, detail: detail).ExecuteAsync(httpContext);
            return true;
        }

        var (field, title) = badRequest.InnerException is JsonException json
            ? (string.IsNullOrEmpty(json.Path) ? "body" : json.Path, "The request body is not valid")
            : ParameterName().Match(badRequest.Message) is { Success: true } parameter
                ? (JsonNamingPolicy.CamelCase.ConvertName(parameter.Groups["name"].Value), "A parameter is not valid")
                : ("request", "The request is not valid");
        var errors = new Dictionary<string, string[]> { [field] = [badRequest.InnerException?.Message ?? badRequest.Message] };
        await TypedResults.ValidationProblem(errors, title: title, detail: badRequest.Message).ExecuteAsync(httpContext);
        return true;
    }

    // ASP.NET Core's binding messages: Failed to bind parameter "int? Page" from "abc". / Required parameter "Guid id" was not provided ...
    [GeneratedRegex("""parameter "[^"]* (?<name>\w+)" """, RegexOptions.CultureInvariant)]
    private static partial Regex ParameterName();
}
