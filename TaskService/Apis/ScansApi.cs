using Microsoft.AspNetCore.Http.HttpResults;
using Warehouse.Contracts.Notifications;
using Warehouse.Contracts.Tasks;
using Warehouse.Security;
using Warehouse.TaskService.Infrastructure;
using Warehouse.TaskService.Model;

namespace Warehouse.TaskService.Apis;

public static class ScansApi
{
    public static IEndpointConventionBuilder MapScansApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/scan", RecordScan).WithTags("Scans").RequireAuthorization(Policies.Operations)
            // A refused scan names its field like a 400 does: a missing task (404), a scan id already used or a task not
            // open (409), a SKU, location or quantity that does not match the task (422).
            .ProducesValidationProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);

    /// <summary>
    /// Idempotent per <c>scanId</c>: handhelds retry on flaky Wi-Fi, and a retry is acknowledged, never counted again.
    /// A task outside the caller's warehouses answers like a missing one (404 naming <c>taskId</c>).
    /// </summary>
    public static async Task<Results<Ok<ScanResponse>, ValidationProblem, ProblemHttpResult>> RecordScan(
        ScanRequest request, WarehouseScope scope, TaskServices services, CancellationToken ct)
    {
        var errors = Validate(request);
        if (errors.Count > 0)
        {
            services.Metrics.Scan(TaskMetrics.ScanRejected);
            return TypedResults.ValidationProblem(errors);
        }

        var outcome = await services.Repository.ScanAsync(
            new ScanCommand(request.ScanId!.Value, request.TaskId!.Value, request.Sku!, request.Location!, request.Quantity ?? 1, scope), ct);
        switch (outcome)
        {
            case ScanOutcome.Accepted accepted:
                services.Metrics.Scan(TaskMetrics.ScanAccepted);
                if (accepted.Task.Status != accepted.PreviousStatus)
                {
                    services.Metrics.Transition(accepted.Task.Status);
                }

                await services.Notifier.PublishAsync(NotificationTypes.TaskUpdated, accepted.Task, accepted.Sequence);
                return TypedResults.Ok(new ScanResponse(request.ScanId.Value, Duplicate: false, accepted.Task));
            case ScanOutcome.Duplicate duplicate:
                services.Metrics.Scan(TaskMetrics.ScanDuplicate);
                return TypedResults.Ok(new ScanResponse(request.ScanId.Value, Duplicate: true, duplicate.Task));
            case ScanOutcome.Rejected rejected:
                services.Metrics.Scan(TaskMetrics.ScanRejected);
                return TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [rejected.Field] = [rejected.Message] })
                {
                    Title = "The scan was rejected",
                    Status = rejected.Status,
                });
            default:
                throw new InvalidOperationException($"Unhandled scan outcome {outcome}");
        }
    }

    private static Dictionary<string, string[]> Validate(ScanRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.ScanId is null || request.ScanId == Guid.Empty)
        {
            errors["scanId"] = ["scanId is required: a client-generated UUID, reused when the scan is retried."];
        }

        if (request.TaskId is null || request.TaskId == Guid.Empty)
        {
            errors["taskId"] = ["taskId is required."];
        }

        TaskRules.CheckIdentifier(errors, "sku", request.Sku, TaskRules.MaxSkuLength, required: true);
        TaskRules.CheckIdentifier(errors, "location", request.Location, TaskRules.MaxLocationLength, required: true);

        if (request.Quantity is < 1)
        {
            errors["quantity"] = ["quantity must be 1 or more."];
        }

        return errors;
    }
}
