using System.Buffers;

namespace Warehouse.Contracts.Tasks;

/// <summary>Field rules shared by the task API and the CSV import, so both accept exactly the same tasks.</summary>
public static class TaskRules
{
    public const int MaxWarehouseIdLength = 32;
    public const int MaxSkuLength = 64;
    public const int MaxLocationLength = 32;
    public const int MaxAssigneeLength = 64;
    public const int MaxQuantity = 100_000;

    private static readonly SearchValues<char> IdentifierCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./");

    /// <summary>Returns field name → messages; empty when the draft is valid. It runs once per CSV row: no LINQ, no regex.</summary>
    public static Dictionary<string, string[]> Validate(TaskDraft draft)
    {
        var errors = new Dictionary<string, string[]>(0, StringComparer.Ordinal);
        Identifier(errors, "warehouseId", draft.WarehouseId, MaxWarehouseIdLength, required: true);
        if (string.IsNullOrEmpty(draft.Type))
        {
            errors["type"] = ["type is required."];
        }
        else if (!TaskTypes.All.Contains(draft.Type))
        {
            errors["type"] = [$"type must be one of {string.Join(", ", TaskTypes.All)}."];
        }

        Identifier(errors, "sku", draft.Sku, MaxSkuLength, required: true);
        if (draft.Quantity is null)
        {
            errors["quantity"] = ["quantity is required."];
        }
        else if (draft.Quantity is < 1 or > MaxQuantity)
        {
            errors["quantity"] = [$"quantity must be between 1 and {MaxQuantity}."];
        }

        Identifier(errors, "fromLocation", draft.FromLocation, MaxLocationLength, required: true);
        var needsDestination = draft.Type is not null && TaskTypes.NeedsDestination(draft.Type);
        Identifier(errors, "toLocation", draft.ToLocation, MaxLocationLength, required: needsDestination);
        CheckAssignee(errors, draft.Assignee, required: false);
        return errors;
    }

    public static void CheckAssignee(Dictionary<string, string[]> errors, string? assignee, bool required) =>
        Identifier(errors, "assignee", assignee, MaxAssigneeLength, required);

    private static void Identifier(Dictionary<string, string[]> errors, string field, string? value, int maxLength, bool required)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                errors[field] = [$"{field} is required."];
            }
        }
        else if (value.Length > maxLength)
        {
            errors[field] = [$"{field} must be at most {maxLength} characters."];
        }
        else if (value.AsSpan().ContainsAnyExcept(IdentifierCharacters))
        {
            errors[field] = [$"{field} may contain only letters, digits, '-', '_', '.' and '/'."];
        }
    }
}
