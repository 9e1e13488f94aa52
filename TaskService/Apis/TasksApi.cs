using Microsoft.AspNetCore.Http.HttpResults;
using Warehouse.Contracts.Notifications;
using Warehouse.Contracts.Tasks;
using Warehouse.Security;
using Warehouse.TaskService.Infrastructure;
using Warehouse.TaskService.Model;

namespace Warehouse.TaskService.Apis;

public static class TasksApi
{
    private const int MaxPageSize = 200;
    private const int DefaultSnapshotLimit = 1000;
    private const int MaxSnapshotLimit = 5000;

    public static RouteGroupBuilder MapTasksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tasks").WithTags("Tasks").RequireAuthorization();

        api.MapGet("/", ListTasks);
        api.MapGet("/snapshot", ReadSnapshot);
        api.MapGet("/{id:guid}", GetTask);
        api.MapPost("/", CreateTask).RequireAuthorization(Policies.Planning);
        api.MapPost("/{id:guid}/assign", (Guid id, TransitionRequest request, WarehouseScope scope, TaskServices services, CancellationToken ct) =>
            Transition(id, request, scope, TaskStatuses.Assigned, services, ct)).RequireAuthorization(Policies.Planning);
        api.MapPost("/{id:guid}/start", (Guid id, TransitionRequest request, WarehouseScope scope, TaskServices services, CancellationToken ct) =>
            Transition(id, request, scope, TaskStatuses.InProgress, services, ct)).RequireAuthorization(Policies.Operations);
        api.MapPost("/{id:guid}/complete", (Guid id, TransitionRequest request, WarehouseScope scope, TaskServices services, CancellationToken ct) =>
            Transition(id, request, scope, TaskStatuses.Done, services, ct)).RequireAuthorization(Policies.Operations);
        api.MapPost("/{id:guid}/cancel", (Guid id, TransitionRequest request, WarehouseScope scope, TaskServices services, CancellationToken ct) =>
            Transition(id, request, scope, TaskStatuses.Cancelled, services, ct)).RequireAuthorization(Policies.Planning);

        return api;
    }

    /// <summary>Lists the caller's warehouses only; naming a warehouse outside the token is a 403 naming <c>warehouseId</c>.</summary>
    public static async Task<Results<Ok<TaskPage>, ValidationProblem, ProblemHttpResult>> ListTasks(
        [AsParameters] TaskListParameters parameters, WarehouseScope scope, TaskServices services, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        TaskRules.CheckIdentifier(errors, "warehouseId", parameters.WarehouseId, TaskRules.MaxWarehouseIdLength, required: false);
        TaskRules.CheckIdentifier(errors, "assignee", parameters.Assignee, TaskRules.MaxAssigneeLength, required: false);
        if (parameters.Status is not null && !TaskStatuses.All.Contains(parameters.Status))
        {
            errors["status"] = [$"status must be one of {string.Join(", ", TaskStatuses.All)}."];
        }

        if (parameters.Page is < 1)
        {
            errors["page"] = ["page must be 1 or more."];
        }

        if (parameters.PageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (parameters.WarehouseId is not null && !scope.Allows(parameters.WarehouseId))
        {
            return NotCovered(parameters.WarehouseId);
        }

        var query = new TaskQuery(parameters.WarehouseId, parameters.Status, parameters.Assignee, parameters.Page ?? 1, parameters.PageSize ?? 50, scope);
        return TypedResults.Ok(await services.Repository.ListAsync(query, ct));
    }

    /// <summary>
    /// A client's view of one warehouse, page by page from a keyset cursor: its open tasks (open, assigned, in
    /// progress), or with <c>completed=true</c> its done and cancelled ones. Each page carries the warehouse's sequence
    /// read in the same database snapshot as its items.
    /// </summary>
    public static async Task<Results<Ok<TaskSnapshotPage>, ValidationProblem, ProblemHttpResult>> ReadSnapshot(
        [AsParameters] TaskSnapshotParameters parameters, WarehouseScope scope, TaskServices services, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        TaskRules.CheckIdentifier(errors, "warehouseId", parameters.WarehouseId, TaskRules.MaxWarehouseIdLength, required: true);
        if (parameters.Completed is not (null or "true" or "false"))
        {
            errors["completed"] = ["completed must be true or false."];
        }

        Guid? after = null;
        if (parameters.After is not null)
        {
            if (Guid.TryParse(parameters.After, out var cursor))
            {
                after = cursor;
            }
            else
            {
                errors["after"] = ["after must be the next cursor of the previous page, a UUID."];
            }
        }

        if (parameters.Limit is < 1 or > MaxSnapshotLimit)
        {
            errors["limit"] = [$"limit must be between 1 and {MaxSnapshotLimit}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!scope.Allows(parameters.WarehouseId!))
        {
            return NotCovered(parameters.WarehouseId!);
        }

        var query = new TaskSnapshotQuery(parameters.WarehouseId!, parameters.Completed == "true", after, parameters.Limit ?? DefaultSnapshotLimit);
        return TypedResults.Ok(await services.Repository.SnapshotAsync(query, ct));
    }

    /// <summary>A task in another warehouse is 404, as if it did not exist: its existence is not the caller's to know.</summary>
    public static async Task<Results<Ok<TaskItem>, NotFound>> GetTask(Guid id, WarehouseScope scope, TaskServices services, CancellationToken ct) =>
        await services.Repository.GetAsync(id, scope, ct) is { } task ? TypedResults.Ok(task) : TypedResults.NotFound();

    public static async Task<Results<Created<TaskItem>, ValidationProblem, ProblemHttpResult>> CreateTask(
        TaskDraft draft, WarehouseScope scope, TaskServices services, CancellationToken ct)
    {
        var errors = TaskRules.Validate(draft);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!scope.Allows(draft.WarehouseId))
        {
            return NotCovered(draft.WarehouseId!);
        }

        var (task, sequence) = await services.Repository.CreateAsync(draft, ct);
        services.Metrics.Transition(task.Status);
        await services.Notifier.PublishAsync(NotificationTypes.TaskCreated, task, sequence);
        return TypedResults.Created($"/api/tasks/{task.Id}", task);
    }

    private static async Task<IResult> Transition(Guid id, TransitionRequest request, WarehouseScope scope, string target, TaskServices services, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Version is null)
        {
            errors["version"] = ["version is required: send the version you last read."];
        }
        else if (request.Version < 1)
        {
            errors["version"] = ["version must be 1 or more: send the version you last read."];
        }

        if (target == TaskStatuses.Assigned)
        {
            TaskRules.CheckAssignee(errors, request.Assignee, required: true);
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var assignee = target == TaskStatuses.Assigned ? request.Assignee : null;
        switch (await services.Repository.TransitionAsync(id, scope, request.Version!.Value, target, assignee, ct))
        {
            case WriteOutcome.Changed changed:
                services.Metrics.Transition(changed.Task.Status);
                await services.Notifier.PublishAsync(NotificationTypes.TaskUpdated, changed.Task, changed.Sequence);
                return TypedResults.Ok(changed.Task);
            case WriteOutcome.VersionConflict conflict:
                return TypedResults.Problem(
                    title: "The task has changed", statusCode: StatusCodes.Status409Conflict,
                    detail: $"You sent version {request.Version}; the current version is {conflict.CurrentVersion}. Read the task again and retry.",
                    extensions: new Dictionary<string, object?> { ["currentVersion"] = conflict.CurrentVersion });
            case WriteOutcome.IllegalTransition illegal:
                return TypedResults.Problem(
                    title: "Illegal status transition", statusCode: StatusCodes.Status409Conflict,
                    detail: $"A task that is {illegal.CurrentStatus} cannot become {illegal.Target}.");
            default:
                return TypedResults.NotFound();
        }
    }

    private static ProblemHttpResult NotCovered(string warehouseId) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["warehouseId"] = [WarehouseScope.NotCovered(warehouseId)] })
        {
            Title = "Not your warehouse",
            Status = StatusCodes.Status403Forbidden,
        });
}

public sealed record TaskListParameters(string? WarehouseId, string? Status, string? Assignee, int? Page, int? PageSize);

/// <summary><c>completed</c> and <c>after</c> are read as text so that a malformed value is refused naming its field.</summary>
public sealed record TaskSnapshotParameters(string? WarehouseId, string? Completed, string? After, int? Limit);
