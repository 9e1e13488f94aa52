using Warehouse.Contracts.Tasks;

namespace Warehouse.TaskService.Model;

/// <summary>A scan must be for a task being worked, of the right SKU, at the right location, for no more than remains.</summary>
public static class ScanRules
{
    public static ScanOutcome.Rejected? Check(TaskItem task, string sku, string location, int quantity)
    {
        if (!TaskStatuses.AcceptsScans(task.Status))
        {
            return new("taskId", $"Task is {task.Status}; scans are accepted only for assigned or in-progress tasks.", StatusCodes.Status409Conflict);
        }

        if (!string.Equals(sku, task.Sku, StringComparison.Ordinal))
        {
            return new("sku", $"Scanned SKU {sku} does not match the task's SKU {task.Sku}.", StatusCodes.Status422UnprocessableEntity);
        }

        var expected = TaskTypes.ScanLocation(task.Type, task.FromLocation, task.ToLocation);
        if (!string.Equals(location, expected, StringComparison.Ordinal))
        {
            return new("location", $"Scanned location {location} is not the task's location {expected}.", StatusCodes.Status422UnprocessableEntity);
        }

        var remaining = task.Quantity - task.QuantityDone;
        return quantity > remaining
            ? new("quantity", $"Quantity {quantity} exceeds the {remaining} remaining on the task.", StatusCodes.Status422UnprocessableEntity)
            : null;
    }
}
