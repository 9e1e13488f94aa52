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

    private readonly Dictionary<string, int> _index;

    private TaskCsvSchema(Dictionary<string, int> index, int width)
    {
        _index = index;
        Width = width;
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

        return error is null ? new TaskCsvSchema(names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i), names.Count) : null;
    }

    /// <summary>A blank line carries no task and is skipped.</summary>
    public static bool IsBlank(IReadOnlyList<string> fields) => fields.Count == 1 && fields[0].Length == 0;

    /// <summary>Turns a row into a valid draft, or returns column → message errors.</summary>
    public TaskDraft? ReadRow(IReadOnlyList<string> fields, out Dictionary<string, string[]> errors)
    {
        if (fields.Count != Width)
        {
            errors = new() { ["row"] = [$"expected {Width} fields, found {fields.Count}."] };
            return null;
        }

        int? quantity = null;
        var quantityText = Get(fields, "quantity");
        var quantityValid = int.TryParse(quantityText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed);
        if (quantityValid)
        {
            quantity = parsed;
        }

        var draft = new TaskDraft(Get(fields, "warehouse_id"), Get(fields, "type"), Get(fields, "sku"), quantity,
            Get(fields, "from_location"), Get(fields, "to_location"), Get(fields, "assignee"));
        errors = TaskRules.Validate(draft);
        if (errors.Count == 0 && (quantityValid || string.IsNullOrEmpty(quantityText)))
        {
            return draft;
        }

        errors = errors.ToDictionary(e => ColumnOfField[e.Key], e => e.Value);
        if (!quantityValid && !string.IsNullOrEmpty(quantityText))
        {
            errors["quantity"] = [$"'{Truncate(quantityText)}' is not a whole number."];
        }

        return null;
    }

    private string? Get(IReadOnlyList<string> fields, string column) =>
        _index.TryGetValue(column, out var i) && fields[i].Length > 0 ? fields[i] : null;

    private static string Truncate(string value) => value.Length <= 20 ? value : value[..20] + "…";
}
