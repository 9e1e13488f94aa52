using System.Diagnostics;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Warehouse.Contracts.Tasks;
using Warehouse.ImportService.Csv;
using Warehouse.ImportService.Infrastructure;
using Warehouse.ImportService.Model;
using Warehouse.Data;
using Warehouse.Security;

namespace Warehouse.ImportService.Importing;

/// <summary>
/// Reads, validates and writes one file in a single streaming pass: valid rows go straight into a binary COPY
/// inside one transaction. The transaction commits only if the file is clean (or the caller asked to skip bad
/// rows), so a file is imported whole or not at all. Row errors are collected by line number either way. A success is
/// recorded in that same transaction, only while the job is still this copy's (<see cref="ImportLease"/>): a cancel
/// from any copy, or a lease another copy took back, rolls the rows back instead.
/// </summary>
public sealed class ImportProcessor(
    NpgsqlDataSource dataSource,
    ImportJobStore store,
    ImportUploads uploads,
    ImportNotifier notifier,
    ILogger<ImportProcessor> logger)
{
    // The tasks table is TaskService's (TaskService/Migrations/V0001__tasks.sql), not this service's: the AppHost starts
    // this service after taskservice, which applies its migrations before it is healthy. A column this COPY names is
    // part of that schema's contract.
    private const string CopyTasks =
        "COPY tasks (id, warehouse_id, type, sku, quantity, from_location, to_location, status, assignee, import_job_id) FROM STDIN (FORMAT BINARY)";

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    private static readonly Encoding Utf8 = Encoding.GetEncoding(
        "utf-8", EncoderFallback.ExceptionFallback, new DecoderReplacementFallback(CsvReader.InvalidText.ToString()));

    /// <summary>The run's result; a success is already recorded, anything else is the caller's to record.</summary>
    public async Task<ImportResult> RunAsync(ClaimedImport job, ImportLease lease)
    {
        var (jobId, skipInvalidRows, scope, sizeBytes) = job;
        var ct = lease.Token;
        var run = new Run();
        await using var file = uploads.Open(jobId, sizeBytes);
        using var text = new StreamReader(file, Utf8, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(text);
        var fields = new List<string>(16);

        try
        {
            if (!csv.TryReadRecord(fields))
            {
                return run.Fatal(1, "file", $"The file is empty: expected a header line ({string.Join(",", TaskCsvSchema.Required.Concat(TaskCsvSchema.Optional))}).");
            }

            var schema = TaskCsvSchema.Parse(fields, out var headerError);
            if (schema is null)
            {
                return run.Fatal(csv.Line, "header", $"The header is not valid: {headerError}");
            }

            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var copy = await connection.BeginBinaryImportAsync(CopyTasks, ct);
            try
            {
                while (csv.TryReadRecord(fields))
                {
                    if (TaskCsvSchema.IsBlank(fields))
                    {
                        continue;
                    }

                    var draft = schema.ReadRow(fields, out var errors);
                    if (draft is not null && !scope.Allows(draft.WarehouseId))
                    {
                        errors = new Dictionary<string, string[]> { ["warehouse_id"] = [WarehouseScope.NotCovered(draft.WarehouseId!)] };
                        draft = null;
                    }

                    if (draft is null)
                    {
                        run.Reject(csv.Line, errors);
                        if (!skipInvalidRows && copy is not null)
                        {
                            // The file will not be imported; stop writing but keep reading to report every bad line.
                            await copy.DisposeAsync();
                            copy = null;
                        }
                    }
                    else if (copy is not null)
                    {
                        await WriteRowAsync(copy, jobId, draft, ct);
                        run.Accept(draft.WarehouseId!);
                    }
                    else
                    {
                        run.Skip();
                    }

                    if (run.ProgressDue(ProgressInterval))
                    {
                        ct.ThrowIfCancellationRequested();
                        if (!await store.ReportProgressAsync(jobId, lease.Owner, run.Total, run.Imported, run.Rejected, ct))
                        {
                            lease.Lost();
                        }

                        await notifier.ProgressAsync(job, ImportStatuses.Running, run.Total, run.Imported, run.Rejected);
                    }
                }

                ct.ThrowIfCancellationRequested();
                if (copy is null)
                {
                    return run.Failed($"{run.Rejected} row(s) are invalid, so nothing was imported. Fix them, or upload again with skipInvalidRows=true.");
                }

                await copy.CompleteAsync(ct);
                await copy.DisposeAsync();
                copy = null;
                var sequences = new Dictionary<string, long>();
                foreach (var warehouse in run.Warehouses.Keys)
                {
                    sequences[warehouse] = await WarehouseSequence.NextAsync(connection, transaction, warehouse, ct);
                }

                var result = run.Succeeded();
                if (!await ImportJobStore.FinishAsync(connection, transaction, jobId, lease.Owner, result, ct))
                {
                    lease.Lost();
                }

                await transaction.CommitAsync(ct);
                foreach (var (warehouse, sequence) in sequences)
                {
                    await notifier.TasksImportedAsync(jobId, warehouse, sequence, run.Warehouses[warehouse]);
                }

                return result;
            }
            finally
            {
                if (copy is not null)
                {
                    await copy.DisposeAsync();
                }
            }
        }
        catch (CsvFormatException ex)
        {
            return run.Fatal(ex.Line, "file", $"The file cannot be read as CSV: {ex.Reason}");
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.CheckViolation or PostgresErrorCodes.StringDataRightTruncation)
        {
            logger.LogError(ex, "Import {JobId} was refused by the database", jobId);
            return run.Failed($"The database refused the rows: {ex.MessageText}. Nothing was imported.");
        }
        catch (NpgsqlException ex) when (!ct.IsCancellationRequested)
        {
            // The connection broke or the server went away mid-COPY: the transaction never committed.
            logger.LogError(ex, "Import {JobId} lost its database connection", jobId);
            return run.Failed($"The database connection was lost during the import ({ex.Message}). Nothing was imported; upload the file again.");
        }
    }

    private static async Task WriteRowAsync(NpgsqlBinaryImporter copy, Guid jobId, TaskDraft draft, CancellationToken ct)
    {
        await copy.StartRowAsync(ct);
        await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, ct);
        await copy.WriteAsync(draft.WarehouseId!, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(draft.Type!, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(draft.Sku!, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(draft.Quantity!.Value, NpgsqlDbType.Integer, ct);
        await copy.WriteAsync(draft.FromLocation!, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, draft.ToLocation, ct);
        await copy.WriteAsync(draft.Assignee is null ? TaskStatuses.Open : TaskStatuses.Assigned, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, draft.Assignee, ct);
        await copy.WriteAsync(jobId, NpgsqlDbType.Uuid, ct);
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, NpgsqlDbType.Text, ct);

    /// <summary>The counters and first errors of one run.</summary>
    private sealed class Run
    {
        private readonly List<RowError> _errors = [];
        private readonly Stopwatch _sinceProgress = Stopwatch.StartNew();

        public long Total { get; private set; }

        public long Imported { get; private set; }

        public long Rejected { get; private set; }

        public Dictionary<string, long> Warehouses { get; } = new(StringComparer.Ordinal);

        public void Accept(string warehouse)
        {
            Total++;
            Imported++;
            Warehouses[warehouse] = Warehouses.GetValueOrDefault(warehouse) + 1;
        }

        public void Skip() => Total++;

        public void Reject(long line, IReadOnlyDictionary<string, string[]> errors)
        {
            Total++;
            Rejected++;
            foreach (var (field, messages) in errors)
            {
                if (_errors.Count < ImportJobStore.MaxStoredErrors)
                {
                    _errors.Add(new RowError(line, field, string.Join(" ", messages)));
                }
            }
        }

        public bool ProgressDue(TimeSpan interval)
        {
            if ((Total & 0x3FF) != 0 || _sinceProgress.Elapsed < interval)
            {
                return false;
            }

            _sinceProgress.Restart();
            return true;
        }

        public ImportResult Succeeded() => new(ImportStatuses.Succeeded, Total, Imported, Rejected, Rejected > 0 ? $"{Rejected} invalid row(s) were skipped as requested." : null, _errors);

        public ImportResult Failed(string error) => new(ImportStatuses.Failed, Total, 0, Rejected, error, _errors);

        public ImportResult Fatal(long line, string field, string message)
        {
            _errors.Add(new RowError(line, field, message));
            return new(ImportStatuses.Failed, Total, 0, Rejected, $"Line {line}: {message}", _errors);
        }
    }
}
