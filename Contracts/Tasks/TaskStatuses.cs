namespace Warehouse.Contracts.Tasks;

/// <summary>open → assigned → in_progress → done, and cancelled from any state that is not final.</summary>
public static class TaskStatuses
{
    public const string Open = "open";
    public const string Assigned = "assigned";
    public const string InProgress = "in_progress";
    public const string Done = "done";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlySet<string> All = new HashSet<string>([Open, Assigned, InProgress, Done, Cancelled], StringComparer.Ordinal);

    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        [Open] = [Assigned, Cancelled],
        [Assigned] = [Assigned, InProgress, Cancelled],
        [InProgress] = [Done, Cancelled],
        [Done] = [],
        [Cancelled] = [],
    };

    public static bool CanMove(string from, string to) => Allowed.TryGetValue(from, out var targets) && targets.Contains(to);
}
