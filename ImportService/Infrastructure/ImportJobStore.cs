using Npgsql;
using NpgsqlTypes;
using Warehouse.ImportService.Model;
using Warehouse.Data;
using Warehouse.Security;

namespace Warehouse.ImportService.Infrastructure;

public sealed class ImportJobStore(NpgsqlDataSource dataSource)
{
    public const int MaxStoredErrors = 100;

    private const string Columns =
        "id, status, file_name, skip_invalid_rows, size_bytes, total_rows, imported_rows, rejected_rows, error, created_by, created_at, started_at, finished_at, warehouses";

    public async Task<ImportJob> CreateAsync(
        Guid id, string fileName, bool skipInvalidRows, long sizeBytes, string createdBy, WarehouseScope scope, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO import_jobs (id, status, file_name, skip_invalid_rows, size_bytes, created_by, warehouses)
            VALUES ($1, 'queued', $2, $3, $4, $5, $6::text[]) RETURNING {Columns}
            """).WithParameters(id, fileName, skipInvalidRows, sizeBytes, createdBy, scope.Warehouses);
        return (await ReadSingleAsync(command, ct))!;
    }

    /// <summary>The job, if <paramref name="reader"/>'s warehouses cover the job's; otherwise null, as if it did not exist.</summary>
    public async Task<ImportJob?> GetAsync(Guid id, WarehouseScope reader, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
                $"SELECT {Columns} FROM import_jobs WHERE id = $1 AND ($2::text[] IS NULL OR (warehouses IS NOT NULL AND warehouses <@ $2))")
            .WithParameters(id, reader.Warehouses);
        return await ReadSingleAsync(command, ct);
    }

    public async Task<IReadOnlyList<ImportJob>> ListUnfinishedAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM import_jobs WHERE status IN ('queued', 'running') ORDER BY created_at");
        var jobs = new List<ImportJob>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            jobs.Add(Read(reader));
        }

        return jobs;
    }

    public async Task<IReadOnlyList<RowError>> GetErrorsAsync(Guid id, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT line, field, message FROM import_errors WHERE job_id = $1 ORDER BY line, field LIMIT $2")
            .WithParameters(id, limit);
        var errors = new List<RowError>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            errors.Add(new RowError(reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }

        return errors;
    }

    /// <summary>Moves a queued job to running; false when it was cancelled (or picked up) meanwhile.</summary>
    public async Task<bool> TryStartAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("UPDATE import_jobs SET status = 'running', started_at = now() WHERE id = $1 AND status = 'queued'")
            .WithParameters(id);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// Marks a job that has not finished as cancelled; false when it already finished. Its transaction never commits,
    /// so whatever progress it reported, nothing was imported.
    /// </summary>
    public async Task<bool> TryCancelAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE import_jobs SET status = 'cancelled', finished_at = now(), imported_rows = 0, error = 'Cancelled by request; nothing was imported.'
            WHERE id = $1 AND status IN ('queued', 'running')
            """).WithParameters(id);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task ReportProgressAsync(Guid id, long totalRows, long importedRows, long rejectedRows, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("UPDATE import_jobs SET total_rows = $2, imported_rows = $3, rejected_rows = $4 WHERE id = $1 AND status = 'running'")
            .WithParameters(id, totalRows, importedRows, rejectedRows);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task FinishAsync(Guid id, ImportResult result, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var update = new NpgsqlCommand("""
            UPDATE import_jobs SET status = $2, total_rows = $3, imported_rows = $4, rejected_rows = $5, error = $6, finished_at = now()
            WHERE id = $1
            """, connection, transaction).WithParameters(id, result.Status, result.TotalRows, result.ImportedRows, result.RejectedRows, result.Error))
        {
            await update.ExecuteNonQueryAsync(ct);
        }

        await using (var writer = await connection.BeginBinaryImportAsync("COPY import_errors (job_id, line, field, message) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var error in result.Errors.Take(MaxStoredErrors))
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(id, NpgsqlDbType.Uuid, ct);
                await writer.WriteAsync(error.Line, NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync(error.Field, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(error.Message, NpgsqlDbType.Text, ct);
            }

            await writer.CompleteAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }

    /// <summary>A restart interrupted these runs; their transactions rolled back, so they are failed and say so.</summary>
    public async Task<int> FailInterruptedAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE import_jobs SET status = 'failed', finished_at = now(), imported_rows = 0,
                error = 'Interrupted by a restart of the import service; nothing was imported. Upload the file again.'
            WHERE status = 'running'
            """);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<ImportJob?> ReadSingleAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    private static ImportJob Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), reader.GetInt64(4),
        reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.GetString(9), reader.IsDBNull(13) ? null : reader.GetFieldValue<string[]>(13), reader.GetFieldValue<DateTimeOffset>(10),
        reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
        reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12));
}
