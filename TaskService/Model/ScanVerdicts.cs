using Warehouse.Contracts.Tasks;

namespace Warehouse.TaskService.Model;

/// <summary>
/// The scan rules run in the database, next to the row lock (<c>record_scan</c> in V0002__record_scan.sql): a scan must
/// be new, for a task being worked, of the right SKU, at the right location, for no more than remains. This turns
/// the function's verdict into what the handheld is told.
/// </summary>
public static class ScanVerdicts
{
    public const string Accepted = "accepted";
    public const string NotFound = "not_found";

    public static ScanOutcome.Rejected TaskNotFound(Guid taskId) =>
        new("taskId", $"Task {taskId} does not exist.", StatusCodes.Status404NotFound);

    public static ScanOutcome Explain(string verdict, TaskItem task, ScanAttempt scan) => verdict switch
    {
        "duplicate" => new ScanOutcome.Duplicate(task),
        "other_task" => new ScanOutcome.Rejected("scanId", $"Scan {scan.ScanId} was already recorded for another task.", StatusCodes.Status409Conflict),
        "status" => new ScanOutcome.Rejected("taskId", $"Task is {task.Status}; scans are accepted only for assigned or in-progress tasks.", StatusCodes.Status409Conflict),
        "sku" => new ScanOutcome.Rejected("sku", $"Scanned SKU {scan.Sku} does not match the task's SKU {task.Sku}.", StatusCodes.Status422UnprocessableEntity),
        "location" => new ScanOutcome.Rejected("location",
            $"Scanned location {scan.Location} is not the task's location {scan.ExpectedLocation}.", StatusCodes.Status422UnprocessableEntity),
        "quantity" => new ScanOutcome.Rejected("quantity",
            $"Quantity {scan.Quantity} exceeds the {task.Quantity - task.QuantityDone} remaining on the task.", StatusCodes.Status422UnprocessableEntity),
        _ => throw new InvalidOperationException($"record_scan returned an unknown verdict '{verdict}'"),
    };
}

/// <summary>What the handheld sent, and where the database says the task is scanned.</summary>
public sealed record ScanAttempt(Guid ScanId, string Sku, string Location, int Quantity, string ExpectedLocation);
