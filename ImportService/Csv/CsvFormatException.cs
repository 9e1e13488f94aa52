namespace Warehouse.ImportService.Csv;

/// <summary>The file cannot be read as CSV from this line on (an unbalanced quote, binary content, bad encoding).</summary>
public sealed class CsvFormatException(long line, string message) : Exception($"Line {line}: {message}")
{
    public long Line { get; } = line;

    public string Reason { get; } = message;
}
