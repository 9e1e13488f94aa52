using Npgsql;

namespace Warehouse.Data;

/// <summary>Bumps a warehouse's notification sequence inside the caller's transaction, so it commits with the change.</summary>
public static class WarehouseSequence
{
    // next_warehouse_sequence is TaskService's (V0002__record_scan.sql): its scan function bumps the same sequence.
    private const string NextSql = "SELECT next_warehouse_sequence($1)";

    /// <summary>The bump as a batch statement, to send with the change it announces in one round trip.</summary>
    public static NpgsqlBatchCommand Next(string warehouseId) => NpgsqlCommandExtensions.Statement(NextSql, warehouseId);

    public static async Task<long> NextAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string warehouseId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(NextSql, connection, transaction).WithParameters(warehouseId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static async Task<long> CurrentAsync(NpgsqlDataSource dataSource, string warehouseId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT sequence FROM warehouse_sequences WHERE warehouse_id = $1").WithParameters(warehouseId);
        return await command.ExecuteScalarAsync(cancellationToken) as long? ?? 0;
    }
}
