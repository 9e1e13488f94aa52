using System.Buffers;
using System.Text;

namespace Warehouse.ImportService.Csv;

/// <summary>
/// A streaming RFC 4180 reader: comma-separated, double-quoted fields with "" escapes and embedded line breaks,
/// CRLF or LF line ends. It holds one record at a time, so memory stays flat whatever the file's size.
/// <see cref="Line"/> is the physical line on which the current record starts, for error messages.
/// </summary>
public sealed class CsvReader(TextReader reader)
{
    /// <summary>
    /// What the caller's decoder puts in place of bytes that are not valid text (U+FFFF, a noncharacter no CSV file
    /// contains): the reader reports it on the line that holds it. A decoder that throws instead would fail a whole
    /// read buffer, at the line where that buffer starts.
    /// </summary>
    public const char InvalidText = '\uFFFF';

    private const string NotText = "binary content (a NUL byte): this is not a CSV text file.";
    private const string NotUtf8 = "the file is not valid UTF-8 text.";

    private static readonly SearchValues<char> Special = SearchValues.Create(",\r\n\"\0\uFFFF");

    private readonly char[] _buffer = new char[64 * 1024];
    private readonly StringBuilder _field = new();
    private int _position;
    private int _length;
    private long _physicalLine = 1;

    public long Line { get; private set; }

    /// <summary>Reads the next record into <paramref name="fields"/>; false at the end of the file.</summary>
    public bool TryReadRecord(List<string> fields)
    {
        fields.Clear();
        if (!Fill())
        {
            return false;
        }

        Line = _physicalLine;
        while (true)
        {
            var ended = ReadField(out var field);
            fields.Add(field);
            if (ended)
            {
                return true;
            }
        }
    }

    /// <summary>Reads one field; returns true when it ended its record (line break or end of file).</summary>
    private bool ReadField(out string field)
    {
        _field.Clear();
        if (Fill() && _buffer[_position] == '"')
        {
            _position++;
            return ReadQuoted(out field);
        }

        // Most fields are unquoted: find the next special character with a vectorised search and take the text
        // before it in one piece.
        while (Fill())
        {
            var available = _buffer.AsSpan(_position, _length - _position);
            var end = available.IndexOfAny(Special);
            if (end < 0)
            {
                _field.Append(available);
                _position = _length;
                continue;
            }

            var text = available[..end];
            _position += end + 1;
            switch (available[end])
            {
                case ',':
                    field = Take(text);
                    return false;
                case '\r' or '\n':
                    field = Take(text);
                    EndLine(available[end]);
                    return true;
                case '"':
                    throw new CsvFormatException(_physicalLine, "a quote inside an unquoted field; quote the whole field and double inner quotes (\"\").");
                case '\0':
                    throw new CsvFormatException(_physicalLine, NotText);
                default:
                    throw new CsvFormatException(_physicalLine, NotUtf8);
            }
        }

        field = _field.ToString();
        return true;
    }

    private string Take(ReadOnlySpan<char> text)
    {
        if (_field.Length == 0)
        {
            return new string(text);
        }

        _field.Append(text);
        return _field.ToString();
    }

    private bool ReadQuoted(out string field)
    {
        var startLine = _physicalLine;
        while (true)
        {
            if (!Fill())
            {
                throw new CsvFormatException(startLine, "a quoted field is never closed (unbalanced quote).");
            }

            var c = _buffer[_position++];
            if (c == '"')
            {
                if (Fill() && _buffer[_position] == '"')
                {
                    _field.Append('"');
                    _position++;
                    continue;
                }

                break;
            }

            if (c == '\n')
            {
                _physicalLine++;
            }
            else if (c is '\0' or InvalidText)
            {
                throw new CsvFormatException(_physicalLine, c == '\0' ? NotText : NotUtf8);
            }

            _field.Append(c);
        }

        field = _field.ToString();
        if (!Fill())
        {
            return true;
        }

        var next = _buffer[_position++];
        if (next is '\r' or '\n')
        {
            EndLine(next);
            return true;
        }

        return next == ','
            ? false
            : throw new CsvFormatException(_physicalLine, $"unexpected '{next}' after a closing quote; expected ',' or a line break.");
    }

    private void EndLine(char c)
    {
        if (c == '\r' && Fill() && _buffer[_position] == '\n')
        {
            _position++;
        }

        _physicalLine++;
    }

    private bool Fill()
    {
        if (_position < _length)
        {
            return true;
        }

        _length = reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _length > 0;
    }
}
