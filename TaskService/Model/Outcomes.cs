using Warehouse.Contracts.Tasks;

namespace Warehouse.TaskService.Model;

/// <summary>What a write did; the API maps each case to a status code.</summary>
public abstract record WriteOutcome
{
    public sealed record Changed(TaskItem Task, long Sequence, string? PreviousStatus) : WriteOutcome;

    public sealed record NotFound : WriteOutcome;

    public sealed record VersionConflict(int CurrentVersion) : WriteOutcome;

    public sealed record IllegalTransition(string CurrentStatus, string Target) : WriteOutcome;
}

public abstract record ScanOutcome
{
    public sealed record Accepted(TaskItem Task, long Sequence, string PreviousStatus) : ScanOutcome;

    public sealed record Duplicate(TaskItem Task) : ScanOutcome;

    public sealed record Rejected(string Field, string Message, int Status) : ScanOutcome;
}
