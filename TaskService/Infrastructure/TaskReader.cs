using Npgsql;
using Warehouse.Contracts.Tasks;
using Warehouse.TaskService.Model;

namespace Warehouse.TaskService.Infrastructure;

internal static class TaskReader
{
    public const string Columns =
        "id, warehouse_id, type, sku, quantity, quantity_done, from_location, to_location, status, assignee, version, created_at, updated_at";

    public static TaskItem Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetInt32(4),
        reader.GetInt32(5),
        reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.GetString(8),
        reader.IsDBNull(9) ? null : reader.GetString(9),
        reader.GetInt32(10),
        reader.GetFieldValue<DateTimeOffset>(11),
        reader.GetFieldValue<DateTimeOffset>(12));

    public static async Task<TaskItem?> ReadSingleAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }
}
