using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Warehouse.ServiceDefaults.Http;

/// <summary>
/// Turns a request the framework could not bind into problem details that name what was wrong: the JSON path of a
/// body that is not valid JSON (or not the expected shape), or the query or route parameter that did not parse; a
/// body of the wrong media type stays a 415.
/// </summary>
public sealed partial class BadRequestExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        if (badRequest.StatusCode != StatusCodes.Status400BadRequest)
        {
            // 413, 415 and the like keep their status. A 415 names the media types the endpoint takes; the exception
            // handler has already cleared the endpoint from the context, its feature still knows it.
            var accepts = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<IAcceptsMetadata>();
            var detail = badRequest.StatusCode == StatusCodes.Status415UnsupportedMediaType && accepts is { ContentTypes.Count: > 0 }
                ? UnsupportedMediaTypeDetail(accepts.ContentTypes)
                : badRequest.Message;
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

    /// <summary>What a 415 says, wherever it is decided.</summary>
    public static string UnsupportedMediaTypeDetail(IEnumerable<string> contentTypes) =>
        $"Send the body with Content-Type: {string.Join(" or ", contentTypes)}.";

    // ASP.NET Core's binding messages: Failed to bind parameter "int? Page" from "abc". / Required parameter "Guid id" was not provided ...
    [GeneratedRegex("""parameter "[^"]* (?<name>\w+)" """, RegexOptions.CultureInvariant)]
    private static partial Regex ParameterName();
}
