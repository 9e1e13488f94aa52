using Npgsql;

namespace Warehouse.Data;

/// <summary>A warehouse's notification sequence: bumped inside the caller's transaction, so it commits with the change, and read with the rows it describes.</summary>
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

    /// <summary>
    /// The warehouse's current sequence (0 before its first change) as a batch statement, to read in the same
    /// transaction as the rows it describes.
    /// </summary>
    public static NpgsqlBatchCommand Current(string warehouseId) =>
        NpgsqlCommandExtensions.Statement("SELECT coalesce((SELECT sequence FROM warehouse_sequences WHERE warehouse_id = $1), 0)", warehouseId);
}
