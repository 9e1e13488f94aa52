using Npgsql;
using Warehouse.Data;
using Warehouse.Contracts.Tasks;
using Warehouse.Security;
using Warehouse.TaskService.Model;

namespace Warehouse.TaskService.Infrastructure;

/// <summary>
/// Every write locks the task row, checks the rules against what is committed, and bumps the warehouse
/// sequence in the same transaction: no lost update, and no notification for a change that rolled back.
/// </summary>
public sealed class TaskRepository(NpgsqlDataSource dataSource)
{
    // $2 is the caller's warehouses (text[], NULL for all): a task outside them reads as missing.
    private const string InScope = "($2::text[] IS NULL OR warehouse_id = ANY ($2))";
    private const string SelectForUpdate = $"SELECT {TaskReader.Columns} FROM tasks WHERE id = $1 AND {InScope} FOR UPDATE";

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

    public async Task<TaskItem?> GetAsync(Guid id, WarehouseScope scope, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {TaskReader.Columns} FROM tasks WHERE id = $1 AND {InScope}")
            .WithParameters(id, scope.Warehouses);
        return await TaskReader.ReadSingleAsync(command, cancellationToken);
    }

    /// <summary>
    /// A page of tasks, their total, and (for one warehouse) its sequence, read in one REPEATABLE READ transaction and
    /// one round trip: the three describe the same moment, so a client can take the page as the state at that sequence.
    /// </summary>
    public async Task<TaskPage> ListAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        const string Filter = "($1::text IS NULL OR warehouse_id = $1) AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR assignee = $3)"
            + " AND ($4::text[] IS NULL OR warehouse_id = ANY ($4))";
        var warehouses = query.Scope.Warehouses;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                NpgsqlCommandExtensions.Statement($"SELECT count(*) FROM tasks WHERE {Filter}", query.WarehouseId, query.Status, query.Assignee, warehouses),
                NpgsqlCommandExtensions.Statement($"SELECT {TaskReader.Columns} FROM tasks WHERE {Filter} ORDER BY created_at, id LIMIT $5 OFFSET $6",
                    query.WarehouseId, query.Status, query.Assignee, warehouses, query.PageSize, (long)(query.Page - 1) * query.PageSize),
            },
        };
        if (query.WarehouseId is not null)
        {
            batch.BatchCommands.Add(WarehouseSequence.Current(query.WarehouseId));
        }

        var items = new List<TaskItem>();
        long total;
        long? sequence = null;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            total = reader.GetInt64(0);
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(TaskReader.Read(reader));
            }

            if (await reader.NextResultAsync(cancellationToken) && await reader.ReadAsync(cancellationToken))
            {
                sequence = reader.GetInt64(0);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new TaskPage(items, query.Page, query.PageSize, total, sequence);
    }

    /// <summary>
    /// One page of a warehouse's view in one round trip: the warehouse's sequence and the page's tasks are read in one
    /// REPEATABLE READ transaction, so they describe the same moment and a client can take the page as the state at
    /// that sequence. Keyset paging on the partial indexes of V0004__snapshot_indexes.sql: a page reads its own rows
    /// only, however far into the warehouse it is.
    /// </summary>
    public async Task<TaskSnapshotPage> SnapshotAsync(TaskSnapshotQuery query, CancellationToken cancellationToken)
    {
        // The status lists are literals, not parameters: the planner matches them to the partial indexes' predicates.
        // The cursor defaults to the nil UUID (below every id) so that "id > cursor" always bounds the index scan.
        var statuses = query.Completed ? "('done', 'cancelled')" : "('open', 'assigned', 'in_progress')";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                WarehouseSequence.Current(query.WarehouseId),
                NpgsqlCommandExtensions.Statement($"""
                    SELECT {TaskReader.Columns} FROM tasks
                    WHERE warehouse_id = $1 AND status IN {statuses} AND id > coalesce($2::uuid, '00000000-0000-0000-0000-000000000000')
                    ORDER BY id LIMIT $3
                    """, query.WarehouseId, query.After, query.Limit + 1),
            },
        };
        var items = new List<TaskItem>(query.Limit);
        var more = false;
        long sequence;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            sequence = reader.GetInt64(0);
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (items.Count == query.Limit)
                {
                    more = true;
                    break;
                }

                items.Add(TaskReader.Read(reader));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new TaskSnapshotPage(items, sequence, more ? items[^1].Id : null);
    }

    public async Task<WriteOutcome> TransitionAsync(
        Guid id, WarehouseScope scope, int expectedVersion, string target, string? assignee, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var select = new NpgsqlCommand(SelectForUpdate, connection, transaction).WithParameters(id, scope.Warehouses);
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

    /// <summary>
    /// One round trip: <c>record_scan</c> (V0002__record_scan.sql, scoped by V0003__warehouse_scope.sql) locks the task, applies the scan rules and writes, in
    /// one transaction. Two different tasks racing with the same new scan id both pass the lookup and one insert
    /// fails on the primary key; asking again then sees the committed scan and answers like any reused scan id.
    /// </summary>
    public async Task<ScanOutcome> ScanAsync(ScanCommand scan, CancellationToken cancellationToken)
    {
        try
        {
            return await RecordScanAsync(scan, cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.TableName == "scans")
        {
            return await RecordScanAsync(scan, cancellationToken);
        }
    }

    private async Task<ScanOutcome> RecordScanAsync(ScanCommand scan, CancellationToken cancellationToken)
    {
        var (scanId, taskId, sku, location, quantity, scope) = scan;
        await using var command = dataSource.CreateCommand(
                $"SELECT {TaskReader.Columns}, verdict, previous_status, sequence, scan_location FROM record_scan($1, $2, $3, $4, $5, $6)")
            .WithParameters(scanId, taskId, sku, location, quantity, scope.Warehouses);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var verdict = reader.GetString(13);
        if (verdict == ScanVerdicts.NotFound)
        {
            return ScanVerdicts.TaskNotFound(taskId);
        }

        var task = TaskReader.Read(reader);
        return verdict == ScanVerdicts.Accepted
            ? new ScanOutcome.Accepted(task, reader.GetInt64(15), reader.GetString(14))
            : ScanVerdicts.Explain(verdict, task, new ScanAttempt(scanId, sku, location, quantity, ExpectedLocation: reader.GetString(16)));
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
