using Npgsql;
using Warehouse.ServiceDefaults.Data;
using Warehouse.Contracts.Tasks;
using Warehouse.TaskService.Model;

namespace Warehouse.TaskService.Infrastructure;

/// <summary>
/// Every write locks the task row, checks the rules against what is committed, and bumps the warehouse
/// sequence in the same transaction: no lost update, and no notification for a change that rolled back.
/// </summary>
public sealed class TaskRepository(NpgsqlDataSource dataSource)
{
    private const string SelectForUpdate = $"SELECT {TaskReader.Columns} FROM tasks WHERE id = $1 FOR UPDATE";

    public async Task<(TaskItem Task, long Sequence)> CreateAsync(TaskDraft draft, CancellationToken cancellationToken)
    {
        var status = draft.Assignee is null ? TaskStatuses.Open : TaskStatuses.Assigned;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var insert = NpgsqlCommandExtensions.Statement($"""
            INSERT INTO tasks (id, warehouse_id, type, sku, quantity, from_location, to_location, status, assignee)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {TaskReader.Columns}
            """, Guid.CreateVersion7(), draft.WarehouseId, draft.Type, draft.Sku, draft.Quantity, draft.FromLocation, draft.ToLocation, status, draft.Assignee);
        return await WriteAndCommitAsync(connection, transaction, draft.WarehouseId!, cancellationToken, insert);
    }

    public async Task<TaskItem?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {TaskReader.Columns} FROM tasks WHERE id = $1").WithParameters(id);
        return await TaskReader.ReadSingleAsync(command, cancellationToken);
    }

    public async Task<TaskPage> ListAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        const string Filter = "($1::text IS NULL OR warehouse_id = $1) AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR assignee = $3)";
        await using var count = dataSource.CreateCommand($"SELECT count(*) FROM tasks WHERE {Filter}")
            .WithParameters(query.WarehouseId, query.Status, query.Assignee);
        var total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;

        await using var select = dataSource.CreateCommand($"SELECT {TaskReader.Columns} FROM tasks WHERE {Filter} ORDER BY created_at, id LIMIT $4 OFFSET $5")
            .WithParameters(query.WarehouseId, query.Status, query.Assignee, query.PageSize, (query.Page - 1) * query.PageSize);
        var items = new List<TaskItem>();
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(TaskReader.Read(reader));
            }
        }

        long? sequence = query.WarehouseId is null ? null : await WarehouseSequence.CurrentAsync(dataSource, query.WarehouseId, cancellationToken);
        return new TaskPage(items, query.Page, query.PageSize, total, sequence);
    }

    public async Task<WriteOutcome> TransitionAsync(Guid id, int expectedVersion, string target, string? assignee, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var select = new NpgsqlCommand(SelectForUpdate, connection, transaction).WithParameters(id);
        var current = await TaskReader.ReadSingleAsync(select, cancellationToken);
        if (current is null)
        {
            return new WriteOutcome.NotFound();
        }

        if (current.Version != expectedVersion)
        {
            return new WriteOutcome.VersionConflict(current.Version);
        }

        if (!TaskStatuses.CanMove(current.Status, target))
        {
            return new WriteOutcome.IllegalTransition(current.Status, target);
        }

        var update = NpgsqlCommandExtensions.Statement($"""
            UPDATE tasks SET status = $2, assignee = COALESCE($3, assignee), version = version + 1, updated_at = now()
            WHERE id = $1 RETURNING {TaskReader.Columns}
            """, id, target, assignee);
        var (task, sequence) = await WriteAndCommitAsync(connection, transaction, current.WarehouseId, cancellationToken, update);
        return new WriteOutcome.Changed(task, sequence, current.Status);
    }

    /// <summary>Two round trips: lock and read, then write, bump the sequence and commit.</summary>
    public async Task<ScanOutcome> ScanAsync(Guid scanId, Guid taskId, string sku, string location, int quantity, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The scan lookup runs after the row lock is granted, so a retry of the same scan id that waited for the
        // lock sees the committed first attempt (READ COMMITTED takes a new snapshot per statement).
        TaskItem? task;
        Guid? previous;
        await using (var read = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                NpgsqlCommandExtensions.Statement(SelectForUpdate, taskId),
                NpgsqlCommandExtensions.Statement("SELECT task_id FROM scans WHERE scan_id = $1", scanId),
            },
        })
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            task = await reader.ReadAsync(cancellationToken) ? TaskReader.Read(reader) : null;
            await reader.NextResultAsync(cancellationToken);
            previous = await reader.ReadAsync(cancellationToken) ? reader.GetGuid(0) : null;
        }

        if (task is null)
        {
            return new ScanOutcome.Rejected("taskId", $"Task {taskId} does not exist.", StatusCodes.Status404NotFound);
        }

        if (previous is not null)
        {
            return previous == taskId
                ? new ScanOutcome.Duplicate(task)
                : new ScanOutcome.Rejected("scanId", $"Scan {scanId} was already recorded for another task.", StatusCodes.Status409Conflict);
        }

        if (ScanRules.Check(task, sku, location, quantity) is { } rejection)
        {
            return rejection;
        }

        var status = task.QuantityDone + quantity == task.Quantity ? TaskStatuses.Done : TaskStatuses.InProgress;
        var (updated, sequence) = await WriteAndCommitAsync(connection, transaction, task.WarehouseId, cancellationToken,
            NpgsqlCommandExtensions.Statement($"""
                WITH scan AS (INSERT INTO scans (scan_id, task_id, sku, location, quantity) VALUES ($4, $1, $5, $6, $2))
                UPDATE tasks SET quantity_done = quantity_done + $2, status = $3, version = version + 1, updated_at = now()
                WHERE id = $1 RETURNING {TaskReader.Columns}
                """, taskId, quantity, status, scanId, sku, location));
        return new ScanOutcome.Accepted(updated, sequence, task.Status);
    }

    /// <summary>
    /// Sends the writes, the warehouse sequence bump and COMMIT as one batch (one round trip); Npgsql sees the
    /// server end the transaction and completes <paramref name="transaction"/>. Only the last write returns rows (the
    /// task); Npgsql's reader skips the results of statements that return none. Every result is read before returning,
    /// so a failed commit throws here, before anyone is told about the change.
    /// </summary>
    private static async Task<(TaskItem Task, long Sequence)> WriteAndCommitAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string warehouseId, CancellationToken cancellationToken, params NpgsqlBatchCommand[] writes)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var write in writes)
        {
            batch.BatchCommands.Add(write);
        }

        batch.BatchCommands.Add(WarehouseSequence.Next(warehouseId));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var task = TaskReader.Read(reader);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var sequence = reader.GetInt64(0);
        while (await reader.NextResultAsync(cancellationToken))
        {
        }

        return (task, sequence);
    }
}
