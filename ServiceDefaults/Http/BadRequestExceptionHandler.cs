using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Warehouse.ServiceDefaults.Http;

/// <summary>
/// Turns a request the framework could not bind into problem details that name what was wrong, in words for the
/// person who sent it: the field of a body that is missing, not JSON or of the wrong shape, or the query or route
/// parameter that did not parse. The framework's own messages name .NET types and parameters ("could not be converted
/// to Warehouse.TaskService.Model.ScanRequest", "Did you mean to use a Service instead?"), so none of them is passed
/// on. A body of the wrong media type stays a 415.
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

        // The middleware has cleared the request's endpoint before calling handlers; its feature keeps it.
        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
        var (field, title, message) = Describe(badRequest, endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType);
        await TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: title).ExecuteAsync(httpContext);
        return true;
    }

    private static (string Field, string Title, string Message) Describe(BadHttpRequestException badRequest, Type? bodyType)
    {
        const string badBody = "The request body is not valid";
        if (badRequest.InnerException is JsonException json)
        {
            if (!ConvertedTo().IsMatch(json.Message))
            {
                return ("body", badBody, $"The body is not valid JSON (line {json.LineNumber + 1}, position {json.BytePositionInLine + 1}).");
            }

            // The message names the type being built (a record's, for a constructor parameter), not the field's: the
            // field's type comes from the endpoint's body type, along the JSON path.
            var field = JsonField(json.Path);
            return field == "body"
                ? (field, badBody, "The body must be a JSON object.")
                : (field, badBody, TypeAt(bodyType, field) is { } type ? $"{field} must be {TypeNames.Describe(type)}." : $"{field} has a value of the wrong type.");
        }

        if (NoBody().IsMatch(badRequest.Message))
        {
            return ("body", badBody, "The request needs a JSON body.");
        }

        if (Parameter().Match(badRequest.Message) is { Success: true } parameter)
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(parameter.Groups["name"].Value);
            var message = !parameter.Groups["value"].Success ? $"{name} is required."
                : TypeNames.Describe(parameter.Groups["type"].Value) is { } expected ? $"{name} must be {expected}."
                : $"{name} is not valid.";
            return (name, "A parameter is not valid", message);
        }

        return ("request", "The request is not valid", "The request could not be read.");
    }

    /// <summary>A JSON path as the API's field names: <c>$.quantity</c> is <c>quantity</c>, <c>$</c> the whole body.</summary>
    private static string JsonField(string? path) => path is null or "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    /// <summary>The type of the property at <paramref name="field"/> (<c>a.b</c>) of <paramref name="bodyType"/>, when there is one.</summary>
    private static Type? TypeAt(Type? bodyType, string field) =>
        field.Split('.').Aggregate(bodyType, (type, name) =>
            type?.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType);

    // System.Text.Json: The JSON value could not be converted to Warehouse.TaskService.Model.ScanRequest. Path: $.scanId | ...
    [GeneratedRegex(@"could not be converted to \S+\. Path:", RegexOptions.CultureInvariant)]
    private static partial Regex ConvertedTo();

    // Implicit body inferred for parameter "TaskDraft draft" but no body was provided. / Required parameter "X x" was not provided from body.
    [GeneratedRegex(@"no body was provided|was not provided from body", RegexOptions.CultureInvariant)]
    private static partial Regex NoBody();

    // Failed to bind parameter "int? Page" from "abc". / Required parameter "Guid id" was not provided from route.
    [GeneratedRegex("""parameter "(?<type>[^"]*) (?<name>\w+)"( from "(?<value>[^"]*)")?""", RegexOptions.CultureInvariant)]
    private static partial Regex Parameter();
}
