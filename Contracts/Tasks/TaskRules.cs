using System.Buffers;
using System.Globalization;

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

    /// <summary>Returns field name → messages; empty when the draft is valid.</summary>
    public static Dictionary<string, string[]> Validate(TaskDraft draft)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Check(draft, errors);
        return errors;
    }

    /// <summary>The same rules without collecting messages: it runs once per CSV row, so it allocates nothing.</summary>
    public static bool IsValid(TaskDraft draft) => Check(draft, errors: null);

    private static bool Check(TaskDraft draft, Dictionary<string, string[]>? errors)
    {
        var valid = Identifier(errors, "warehouseId", draft.WarehouseId, MaxWarehouseIdLength, required: true);
        if (string.IsNullOrEmpty(draft.Type))
        {
            valid = Fail(errors, "type", "type is required.");
        }
        else if (!TaskTypes.All.Contains(draft.Type))
        {
            valid = Fail(errors, "type", $"type must be one of {string.Join(", ", TaskTypes.All)}.");
        }

        valid &= Identifier(errors, "sku", draft.Sku, MaxSkuLength, required: true);
        if (draft.Quantity is null)
        {
            valid = Fail(errors, "quantity", "quantity is required.");
        }
        else if (draft.Quantity is < 1 or > MaxQuantity)
        {
            valid = Fail(errors, "quantity", $"quantity must be between 1 and {MaxQuantity}.");
        }

        valid &= Identifier(errors, "fromLocation", draft.FromLocation, MaxLocationLength, required: true);
        var needsDestination = draft.Type is not null && TaskTypes.NeedsDestination(draft.Type);
        valid &= Identifier(errors, "toLocation", draft.ToLocation, MaxLocationLength, required: needsDestination);
        valid &= Identifier(errors, "assignee", draft.Assignee, MaxAssigneeLength, required: false);
        return valid;
    }

    public static void CheckAssignee(Dictionary<string, string[]> errors, string? assignee, bool required) =>
        Identifier(errors, "assignee", assignee, MaxAssigneeLength, required);

    /// <summary>
    /// The identifier rule (length, letters, digits and <c>-_./</c>) for any other field or query parameter that names
    /// a warehouse, SKU, location or person: control characters and stray encodings never reach the database.
    /// </summary>
    public static void CheckIdentifier(Dictionary<string, string[]> errors, string field, string? value, int maxLength, bool required) =>
        Identifier(errors, field, value, maxLength, required);

    private static bool Identifier(Dictionary<string, string[]>? errors, string field, string? value, int maxLength, bool required)
    {
        if (string.IsNullOrEmpty(value))
        {
            return !required || Fail(errors, field, $"{field} is required.");
        }

        // Characters as a person counts them (text elements): an emoji is one, though two UTF-16 units.
        if (value.Length > maxLength && Characters(value) > maxLength)
        {
            return Fail(errors, field, $"{field} must be at most {maxLength} characters.");
        }

        return !value.AsSpan().ContainsAnyExcept(IdentifierCharacters)
            || Fail(errors, field, $"{field} may contain only letters, digits, '-', '_', '.' and '/'.");
    }

    private static int Characters(string value)
    {
        var count = 0;
        for (var rest = value.AsSpan(); !rest.IsEmpty; rest = rest[StringInfo.GetNextTextElementLength(rest)..])
        {
            count++;
        }

        return count;
    }

    /// <summary>Records the message when messages are collected; always false.</summary>
    private static bool Fail(Dictionary<string, string[]>? errors, string field, string message)
    {
        errors?.TryAdd(field, [message]);
        return false;
    }
}
