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

    /// <summary>
    /// Queues a job and its file in one transaction, so no copy ever sees a job without its file:
    /// <paramref name="writeUpload"/> writes the file on the transaction's connection and returns its size, or null
    /// when it refused it (nothing is kept, and the answer is null).
    /// </summary>
    public async Task<ImportJob?> QueueAsync(
        Guid id, string fileName, bool skipInvalidRows, string createdBy, WarehouseScope scope,
        Func<NpgsqlConnection, Task<long?>> writeUpload, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await writeUpload(connection) is not { } sizeBytes)
        {
            return null;
        }

        await using var command = new NpgsqlCommand($"""
            INSERT INTO import_jobs (id, status, file_name, skip_invalid_rows, size_bytes, created_by, warehouses)
            VALUES ($1, 'queued', $2, $3, $4, $5, $6::text[]) RETURNING {Columns}
            """, connection, transaction).WithParameters(id, fileName, skipInvalidRows, sizeBytes, createdBy, scope.Warehouses);
        var job = (await ReadSingleAsync(command, ct))!;
        await transaction.CommitAsync(ct);
        return job;
    }

    /// <summary>The job, if <paramref name="reader"/>'s warehouses cover the job's; otherwise null, as if it did not exist.</summary>
    public async Task<ImportJob?> GetAsync(Guid id, WarehouseScope reader, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
                $"SELECT {Columns} FROM import_jobs WHERE id = $1 AND ($2::text[] IS NULL OR (warehouses IS NOT NULL AND warehouses <@ $2))")
            .WithParameters(id, reader.Warehouses);
        return await ReadSingleAsync(command, ct);
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

    /// <summary>
    /// Claims the oldest queued job for <paramref name="owner"/> under a lease of <paramref name="lease"/>; null when none
    /// is queued. SKIP LOCKED: copies claiming at once each take a different job instead of queuing behind one row lock,
    /// and the status test is repeated outside the subquery because a cancel may have ended the job since it was read.
    /// </summary>
    public async Task<ImportJob?> ClaimAsync(string owner, TimeSpan lease, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE import_jobs SET status = 'running', owner = $1, lease_expires_at = now() + $2, started_at = now(), attempts = attempts + 1
            WHERE status = 'queued' AND id = (SELECT id FROM import_jobs WHERE status = 'queued' ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING {Columns}
            """).WithParameters(owner, lease);
        return await ReadSingleAsync(command, ct);
    }

    /// <summary>
    /// Extends <paramref name="owner"/>'s lease on a running job; false when the job is no longer its own to run: it was
    /// cancelled, or its lease expired and another copy took it back.
    /// </summary>
    public async Task<bool> RenewAsync(Guid id, string owner, TimeSpan lease, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
                "UPDATE import_jobs SET lease_expires_at = now() + $3 WHERE id = $1 AND owner = $2 AND status = 'running'")
            .WithParameters(id, owner, lease);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// Takes back the running jobs whose owner stopped renewing its lease (it died, or lost the database): each runs
    /// again from the start (its COPY rolled back with its owner's connection) until it has been claimed
    /// <paramref name="maxAttempts"/> times, then it fails and says why. Never a job whose lease is current: its owner
    /// is alive. Returns the jobs taken back, by the status they now have.
    /// </summary>
    public async Task<IReadOnlyList<(Guid Id, string Status)>> RecoverExpiredAsync(int maxAttempts, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE import_jobs SET
                status = CASE WHEN attempts < $1 THEN 'queued' ELSE 'failed' END,
                owner = NULL, lease_expires_at = NULL, total_rows = 0, imported_rows = 0, rejected_rows = 0,
                finished_at = CASE WHEN attempts < $1 THEN NULL ELSE now() END,
                error = CASE WHEN attempts < $1 THEN NULL
                    ELSE 'Interrupted: the copy running it stopped (' || attempts || ' attempt(s)); nothing was imported. Upload the file again.' END
            WHERE status = 'running' AND lease_expires_at < now()
            RETURNING id, status
            """).WithParameters(maxAttempts);
        var recovered = new List<(Guid, string)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            recovered.Add((reader.GetGuid(0), reader.GetString(1)));
        }

        return recovered;
    }

    /// <summary>
    /// Gives a running job back to the queue, as if never claimed, when its copy stops on purpose (a deploy, a scale
    /// down): another copy starts it at once instead of a lease later. Its COPY has already rolled back.
    /// </summary>
    public async Task ReleaseAsync(Guid id, string owner, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE import_jobs SET status = 'queued', owner = NULL, lease_expires_at = NULL, started_at = NULL, attempts = attempts - 1,
                total_rows = 0, imported_rows = 0, rejected_rows = 0
            WHERE id = $1 AND owner = $2 AND status = 'running'
            """).WithParameters(id, owner);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<string?> GetStatusAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT status FROM import_jobs WHERE id = $1").WithParameters(id);
        return (string?)await command.ExecuteScalarAsync(ct);
    }

    /// <summary>
    /// Marks a job that has not finished as cancelled, whichever copy receives the request, and returns the status it
    /// had; null when it already finished. The copy running it sees the change on its next progress report or lease renewal (and its file is
    /// gone with the cancel) and rolls its COPY back, which could not commit anyway: success is recorded only on a
    /// job still running. So whatever progress it reported, nothing was imported.
    /// </summary>
    public async Task<string?> TryCancelAsync(Guid id, CancellationToken ct)
    {
        // The status it had (queued or running), read under the row lock the update takes: whoever ends the job counts
        // it, so the caller must know whether a copy was running it.
        await using var command = dataSource.CreateCommand("""
            UPDATE import_jobs AS job SET status = 'cancelled', finished_at = now(), imported_rows = 0, lease_expires_at = NULL,
                error = 'Cancelled by request; nothing was imported.'
            FROM (SELECT id, status FROM import_jobs WHERE id = $1 FOR UPDATE) AS before
            WHERE job.id = before.id AND before.status IN ('queued', 'running')
            RETURNING before.status
            """).WithParameters(id);
        return (string?)await command.ExecuteScalarAsync(ct);
    }

    /// <summary>The run's counters so far; false when the job is no longer <paramref name="owner"/>'s (cancelled, taken back).</summary>
    public async Task<bool> ReportProgressAsync(Guid id, string owner, long totalRows, long importedRows, long rejectedRows, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
                "UPDATE import_jobs SET total_rows = $3, imported_rows = $4, rejected_rows = $5 WHERE id = $1 AND owner = $2 AND status = 'running'")
            .WithParameters(id, owner, totalRows, importedRows, rejectedRows);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// Records the end of <paramref name="owner"/>'s run in a transaction of its own; false when the job was no longer
    /// its own (cancelled meanwhile, or taken back after its lease expired), and then nothing is written.
    /// </summary>
    public async Task<bool> FinishAsync(Guid id, string owner, ImportResult result, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (!await FinishAsync(connection, transaction, id, owner, result, ct))
        {
            return false;
        }

        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// The same inside the caller's transaction: the import's COPY records its success in the transaction that writes
    /// the rows, so the rows and "succeeded" commit together, and only while the job is still the caller's. A copy
    /// whose lease was taken back, or whose job was cancelled, cannot commit its rows (the update waits for, then
    /// sees, the other writer's row lock and change). The end is clock time: now() would be the start of the COPY's transaction.
    /// </summary>
    public static async Task<bool> FinishAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string owner, ImportResult result, CancellationToken ct)
    {
        await using (var update = new NpgsqlCommand("""
            UPDATE import_jobs SET status = $3, total_rows = $4, imported_rows = $5, rejected_rows = $6, error = $7, finished_at = clock_timestamp(), lease_expires_at = NULL
            WHERE id = $1 AND owner = $2 AND status = 'running'
            """, connection, transaction).WithParameters(id, owner, result.Status, result.TotalRows, result.ImportedRows, result.RejectedRows, result.Error))
        {
            if (await update.ExecuteNonQueryAsync(ct) != 1)
            {
                return false;
            }
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

        return true;
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
