using Npgsql;

namespace Warehouse.Data;

public static class NpgsqlCommandExtensions
{
    /// <summary>Adds positional (<c>$1</c>, <c>$2</c>, ...) parameters; null becomes SQL NULL.</summary>
    public static NpgsqlCommand WithParameters(this NpgsqlCommand command, params object?[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    /// <summary>A statement for an <see cref="NpgsqlBatch"/>, with positional parameters.</summary>
    public static NpgsqlBatchCommand Statement(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }
}
