using System.Collections.ObjectModel;
using System.Globalization;
using Warehouse.Contracts.Tasks;

namespace Warehouse.ImportService.Importing;

/// <summary>
/// The import file's columns, in any order: warehouse_id, type, sku, quantity, from_location, and optionally
/// to_location and assignee. Each row is validated by the same <see cref="TaskRules"/> as the task API.
/// </summary>
public sealed class TaskCsvSchema
{
    public static readonly string[] Required = ["warehouse_id", "type", "sku", "quantity", "from_location"];
    public static readonly string[] Optional = ["to_location", "assignee"];

    private static readonly Dictionary<string, string> ColumnOfField = new(StringComparer.Ordinal)
    {
        ["warehouseId"] = "warehouse_id", ["type"] = "type", ["sku"] = "sku", ["quantity"] = "quantity",
        ["fromLocation"] = "from_location", ["toLocation"] = "to_location", ["assignee"] = "assignee",
    };

    // Position of each column in a row, in TaskDraft order; -1 for an optional column the file leaves out.
    private readonly int _warehouse, _type, _sku, _quantity, _from, _to, _assignee;

    private TaskCsvSchema(IReadOnlyList<string> names)
    {
        _warehouse = IndexOf(names, "warehouse_id");
        _type = IndexOf(names, "type");
        _sku = IndexOf(names, "sku");
        _quantity = IndexOf(names, "quantity");
        _from = IndexOf(names, "from_location");
        _to = IndexOf(names, "to_location");
        _assignee = IndexOf(names, "assignee");
        Width = names.Count;
    }

    public int Width { get; }

    /// <summary>Reads the header line; the error names what is wrong with it.</summary>
    public static TaskCsvSchema? Parse(IReadOnlyList<string> header, out string? error)
    {
        var names = header.Select(h => h.Trim().ToLowerInvariant()).ToList();
        if (names.Count == 1 && (names[0].Contains(';') || names[0].Contains('\t') || names[0].Contains('|')))
        {
            error = "the header has a single column: the file must be comma-separated (found ';', tab or '|').";
            return null;
        }

        var unknown = names.Where(n => !Required.Contains(n) && !Optional.Contains(n)).ToList();
        var missing = Required.Where(r => !names.Contains(r)).ToList();
        var duplicated = names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        error = (missing.Count, unknown.Count, duplicated.Count) switch
        {
            (> 0, _, _) => $"missing column(s) {string.Join(", ", missing)}. Expected: {string.Join(",", Required.Concat(Optional))}.",
            (_, > 0, _) => $"unknown column(s) {string.Join(", ", unknown)}. Expected: {string.Join(",", Required.Concat(Optional))}.",
            (_, _, > 0) => $"duplicated column(s) {string.Join(", ", duplicated)}.",
            _ => null,
        };

        return error is null ? new TaskCsvSchema(names) : null;
    }

    /// <summary>A blank line carries no task and is skipped.</summary>
    public static bool IsBlank(IReadOnlyList<string> fields) => fields.Count == 1 && fields[0].Length == 0;

    /// <summary>Turns a row into a valid draft, or returns column → message errors.</summary>
    public TaskDraft? ReadRow(IReadOnlyList<string> fields, out IReadOnlyDictionary<string, string[]> errors)
    {
        if (fields.Count != Width)
        {
            errors = new Dictionary<string, string[]> { ["row"] = [$"expected {Width} fields, found {fields.Count}."] };
            return null;
        }

        var quantityText = Get(fields, _quantity);
        var quantity = ParseQuantity(quantityText, out var quantityValid);

        var draft = new TaskDraft(Get(fields, _warehouse), Get(fields, _type), Get(fields, _sku), quantity,
            Get(fields, _from), Get(fields, _to), Get(fields, _assignee));
        if ((quantityValid || string.IsNullOrEmpty(quantityText)) && TaskRules.IsValid(draft))
        {
            errors = ReadOnlyDictionary<string, string[]>.Empty;
            return draft;
        }

        var byColumn = TaskRules.Validate(draft).ToDictionary(e => ColumnOfField[e.Key], e => e.Value);
        if (!quantityValid && !string.IsNullOrEmpty(quantityText))
        {
            byColumn["quantity"] = [$"'{Truncate(quantityText)}' is not a whole number."];
        }

        errors = byColumn;
        return null;
    }

    private static int IndexOf(IReadOnlyList<string> names, string column)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == column)
            {
                return i;
            }
        }

        return -1;
    }

    private static string? Get(IReadOnlyList<string> fields, int index) => index >= 0 && fields[index].Length > 0 ? fields[index] : null;

    /// <summary>
    /// A whole number parses however large it is, so that out of range gets TaskRules' range message, exactly as the
    /// API gives it; anything else is not a whole number.
    /// </summary>
    private static int? ParseQuantity(string? text, out bool wholeNumber)
    {
        var digits = text is ['-' or '+', .. var rest] ? rest : text;
        wholeNumber = !string.IsNullOrEmpty(digits) && !digits.AsSpan().ContainsAnyExceptInRange('0', '9');
        if (!wholeNumber)
        {
            return null;
        }

        // Beyond int's range is beyond TaskRules' range too.
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : text![0] == '-' ? int.MinValue : int.MaxValue;
    }

    private static string Truncate(string value) => value.Length <= 20 ? value : value[..20] + "…";
}
