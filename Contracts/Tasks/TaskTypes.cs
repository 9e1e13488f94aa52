namespace Warehouse.Contracts.Tasks;

public static class TaskTypes
{
    public const string Pick = "pick";
    public const string Putaway = "putaway";
    public const string Count = "count";
    public const string Move = "move";

    public static readonly IReadOnlySet<string> All = new HashSet<string>([Pick, Putaway, Count, Move], StringComparer.Ordinal);

    /// <summary>Putaway and move carry stock to a destination; pick and count work at the source only.</summary>
    public static bool NeedsDestination(string type) => type is Putaway or Move;
}
