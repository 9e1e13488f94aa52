namespace Warehouse.ImportService.Model;

public static class ImportStatuses
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static bool IsFinal(string status) => status is Succeeded or Failed or Cancelled;
}

public sealed record ImportJob(
    Guid Id,
    string Status,
    string FileName,
    bool SkipInvalidRows,
    long SizeBytes,
    long TotalRows,
    long ImportedRows,
    long RejectedRows,
    string? Error,
    string CreatedBy,
    IReadOnlyList<string>? Warehouses,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);

public sealed record RowError(long Line, string Field, string Message);

public sealed record ImportJobView(ImportJob Job, IReadOnlyList<RowError> Errors);

/// <summary>What a finished run writes back to the job.</summary>
public sealed record ImportResult(string Status, long TotalRows, long ImportedRows, long RejectedRows, string? Error, IReadOnlyList<RowError> Errors);
