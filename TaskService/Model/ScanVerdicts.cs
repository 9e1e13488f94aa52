using Warehouse.Contracts.Tasks;

namespace Warehouse.TaskService.Model;

/// <summary>
/// The scan rules run in the database, next to the row lock (<c>record_scan</c> in 0002_record_scan.sql): a scan must
/// be new, for a task being worked, of the right SKU, at the right location, for no more than remains. This turns
/// the function's verdict into what the handheld is told.
/// </summary>
public static class ScanVerdicts
{
    public const string Accepted = "accepted";
    public const string NotFound = "not_found";

    public static ScanOutcome.Rejected TaskNotFound(Guid taskId) =>
        new("taskId", $"Task {taskId} does not exist.", StatusCodes.Status404NotFound);

    public static ScanOutcome Explain(string verdict, TaskItem task, Guid scanId, string sku, string location, int quantity) => verdict switch
    {
        "duplicate" => new ScanOutcome.Duplicate(task),
        "other_task" => new ScanOutcome.Rejected("scanId", $"Scan {scanId} was already recorded for another task.", StatusCodes.Status409Conflict),
        "status" => new ScanOutcome.Rejected("taskId", $"Task is {task.Status}; scans are accepted only for assigned or in-progress tasks.", StatusCodes.Status409Conflict),
        "sku" => new ScanOutcome.Rejected("sku", $"Scanned SKU {sku} does not match the task's SKU {task.Sku}.", StatusCodes.Status422UnprocessableEntity),
        "location" => new ScanOutcome.Rejected("location",
            $"Scanned location {location} is not the task's location {TaskTypes.ScanLocation(task.Type, task.FromLocation, task.ToLocation)}.", StatusCodes.Status422UnprocessableEntity),
        "quantity" => new ScanOutcome.Rejected("quantity",
            $"Quantity {quantity} exceeds the {task.Quantity - task.QuantityDone} remaining on the task.", StatusCodes.Status422UnprocessableEntity),
        _ => throw new InvalidOperationException($"record_scan returned an unknown verdict '{verdict}'"),
    };
}
