using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using Warehouse.Contracts.Security;
using Warehouse.ImportService.Importing;
using Warehouse.ImportService.Infrastructure;
using Warehouse.ImportService.Model;
using Warehouse.ServiceDefaults.Http;
using Warehouse.Security;

namespace Warehouse.ImportService.Apis;

public static class ImportsApi
{
    private const int DefaultErrorCount = 20;
    private const string CsvMediaType = "text/csv";

    public static RouteGroupBuilder MapImportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/imports").WithTags("Imports").RequireAuthorization(Policies.Planning);

        api.MapPost("/", StartImport)
            // The body is documented here, not with Accepts(): Accepts metadata makes routing answer a wrong
            // Content-Type with a bare 415 before StartImport can say which type it takes.
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { [CsvMediaType] = new() },
                };
                return Task.CompletedTask;
            });
        api.MapGet("/{id:guid}", GetImport);
        api.MapPost("/{id:guid}/cancel", CancelImport);

        return api;
    }

    /// <summary>
    /// Send the CSV as the raw body (<c>Content-Type: text/csv</c>); the answer is 202 with the job to poll. The job
    /// keeps the uploader's warehouses: rows of other warehouses are rejected by line. A token that names no warehouse
    /// (and is not an admin's) may import nothing, so it is refused before the upload is read.
    /// </summary>
    public static async Task<IResult> StartImport(
        HttpRequest request, [AsParameters] StartImportParameters parameters, WarehouseScope scope, ImportServices services, CancellationToken ct)
    {
        if (scope.IsEmpty)
        {
            return TypedResults.Problem(
                title: "No warehouse in your token",
                detail: "Your token names no warehouse, so there is nothing you may import.",
                statusCode: StatusCodes.Status403Forbidden);
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || !mediaType.MatchesMediaType(CsvMediaType))
        {
            return TypedResults.Problem(
                title: "Unsupported Media Type",
                detail: MediaTypes.UnsupportedDetail(CsvMediaType),
                statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        // A compressed body would otherwise be read as text and refused as "not valid UTF-8", saying nothing of why.
        if (request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(
                title: "Compressed uploads are not supported",
                detail: $"The upload is compressed (Content-Encoding: {encoding}); send the CSV uncompressed.",
                statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        var fileName = string.IsNullOrWhiteSpace(parameters.FileName) ? "upload.csv" : parameters.FileName;
        if (fileName.Length > 255)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["fileName"] = ["fileName must be at most 255 characters."] });
        }

        // Authentication refuses a token without a subject, so every job names who uploaded it.
        var user = request.HttpContext.User.FindFirst(ClaimNames.Subject)!.Value;
        var jobId = Guid.CreateVersion7();
        var limit = services.Options.MaxFileBytes;
        var job = await services.Store.QueueAsync(jobId, fileName, parameters.SkipInvalidRows ?? false, user, scope,
            connection => ImportUploads.WriteAsync(connection, jobId, request, limit, ct), ct);
        if (job is null)
        {
            return TypedResults.Problem(
                title: "File too large",
                detail: $"The upload exceeds the limit of {limit} bytes; nothing was imported.",
                statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        // This copy starts it at once if idle; otherwise the first idle copy finds it within its poll interval.
        services.WakeUp.Signal();
        return TypedResults.Accepted($"/api/imports/{job.Id}", job);
    }

    /// <summary>A job is visible to callers whose warehouses cover the uploader's; to anyone else it does not exist.</summary>
    public static async Task<Results<Ok<ImportJobView>, NotFound>> GetImport(
        Guid id, int? errors, WarehouseScope scope, ImportServices services, CancellationToken ct)
    {
        var job = await services.Store.GetAsync(id, scope, ct);
        if (job is null)
        {
            return TypedResults.NotFound();
        }

        var limit = Math.Clamp(errors ?? DefaultErrorCount, 0, ImportJobStore.MaxStoredErrors);
        return TypedResults.Ok(new ImportJobView(job, await services.Store.GetErrorsAsync(id, limit, ct)));
    }

    public static async Task<IResult> CancelImport(Guid id, WarehouseScope scope, ImportServices services, CancellationToken ct)
    {
        var job = await services.Store.GetAsync(id, scope, ct);
        if (job is null)
        {
            return TypedResults.NotFound();
        }

        var before = await services.Store.TryCancelAsync(id, ct);
        if (before is null)
        {
            var finished = await services.Store.GetAsync(id, scope, ct);
            return TypedResults.Problem(title: "The import has already finished", detail: $"The job is {finished?.Status ?? job.Status}.", statusCode: StatusCodes.Status409Conflict);
        }

        // A running job is counted by the copy running it, once it has rolled back.
        if (before == ImportStatuses.Queued)
        {
            services.Metrics.EndedWithoutRunning(ImportStatuses.Cancelled);
        }

        return TypedResults.Accepted($"/api/imports/{id}", await services.Store.GetAsync(id, scope, ct));
    }
}

public sealed record StartImportParameters(bool? SkipInvalidRows, string? FileName);
