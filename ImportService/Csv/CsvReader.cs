using System.Buffers;
using System.Text;
using nietras.SeparatedValues;

namespace Warehouse.ImportService.Csv;

/// <summary>
/// Reads comma-separated records with Sep, which streams through a bounded buffer (memory stays flat whatever the file's
/// size) and knows the physical line each record starts on (a quoted field can span lines). <see cref="Line"/> is that
/// line, for error messages.
/// <para>
/// Sep is lenient by design and sees text, not bytes: it takes a quote anywhere in a field, lets an unclosed quote run to
/// the end of the file, and passes NUL and undecodable bytes through. The import's contract is strict RFC 4180 text, so
/// this adapter checks what Sep does not, and unescapes quoted fields while it checks them; every refusal names the
/// physical line of the offending character. Records with nothing to check (no quote, no NUL, no bad byte: nearly all
/// of them) take one vectorised search and go straight through.
/// </para>
/// </summary>
public sealed class CsvReader(TextReader reader) : IDisposable
{
    /// <summary>
    /// What the caller's decoder puts in place of bytes that are not valid text (U+FFFF, a noncharacter no CSV file
    /// contains): the reader reports it on the line that holds it. A decoder that throws instead would fail a whole
    /// read buffer, at the line where that buffer starts.
    /// </summary>
    public const char InvalidText = '\uFFFF';

    private const string NotText = "binary content (a NUL byte): this is not a CSV text file.";
    private const string NotUtf8 = "the file is not valid UTF-8 text.";
    private const string NeverClosed = "a quoted field is never closed (unbalanced quote).";

    private static readonly SearchValues<char> NeedsCheck = SearchValues.Create("\"\0\uFFFF");

    // No header handling (the schema reads the first record itself) and no column-count check (a short or long row is a
    // row error the schema reports by line, not a reason to stop reading).
    private readonly SepReader _sep = Sep.New(',').Reader(o => o with { HasHeader = false, DisableColCountCheck = true }).From(reader);
    private readonly StringBuilder _quoted = new();
    private long _nextLine = 1;

    public long Line { get; private set; }

    /// <summary>Reads the next record into <paramref name="fields"/>; false at the end of the file.</summary>
    public bool TryReadRecord(List<string> fields)
    {
        fields.Clear();
        if (!MoveNext())
        {
            return false;
        }

        // A record starts where the previous one ended: Sep 0.18.0's own LineNumberFrom is 2 for the first record when
        // HasHeader is false (it rewinds the row it read as a header, but not that row's line count).
        var row = _sep.Current;
        Line = _nextLine;
        _nextLine = row.LineNumberToExcl;
        var text = row.Span;
        if (!text.ContainsAny(NeedsCheck))
        {
            for (var i = 0; i < row.ColCount; i++)
            {
                fields.Add(new string(row[i].Span));
            }

            return true;
        }

        // Sep's columns are raw (not unescaped) and lie back to back in the record, one separator apart.
        var start = 0;
        for (var i = 0; i < row.ColCount; i++)
        {
            var length = row[i].Span.Length;
            fields.Add(length > 0 && text[start] == '"' ? Unquote(text, start, length) : Plain(text, start, length));
            start += length + 1;
        }

        return true;
    }

    public void Dispose() => _sep.Dispose();

    private bool MoveNext()
    {
        try
        {
            return _sep.MoveNext();
        }
        catch (NotSupportedException)
        {
            // Sep's limit on one record (16 Mi characters), which in practice only a quote left open reaches: it keeps
            // the reader's memory bounded where an unclosed quote would otherwise swallow the rest of the file.
            throw new CsvFormatException(_nextLine, $"a record runs past 16 Mi characters: {NeverClosed}");
        }
    }

    private string Plain(ReadOnlySpan<char> text, int start, int length)
    {
        var field = text.Slice(start, length);
        var bad = field.IndexOfAny(NeedsCheck);
        return bad < 0 ? new string(field) : throw Refused(text, start + bad);
    }

    /// <summary>A field that opens with a quote: doubled quotes are one quote, and the closing quote must end it.</summary>
    private string Unquote(ReadOnlySpan<char> text, int start, int length)
    {
        var field = text.Slice(start, length);
        _quoted.Clear();
        var position = 1;
        while (true)
        {
            var next = field[position..].IndexOfAny(NeedsCheck);
            if (next < 0)
            {
                throw new CsvFormatException(LineAt(text, start), NeverClosed);
            }

            _quoted.Append(field.Slice(position, next));
            position += next;
            if (field[position] != '"')
            {
                throw Refused(text, start + position);
            }

            if (position + 1 == field.Length)
            {
                return _quoted.ToString();
            }

            if (field[position + 1] != '"')
            {
                throw new CsvFormatException(LineAt(text, start + position),
                    $"unexpected '{field[position + 1]}' after a closing quote; expected ',' or a line break.");
            }

            _quoted.Append('"');
            position += 2;
        }
    }

    private CsvFormatException Refused(ReadOnlySpan<char> text, int index) => new(LineAt(text, index), text[index] switch
    {
        '"' => "a quote inside an unquoted field; quote the whole field and double inner quotes (\"\").",
        '\0' => NotText,
        _ => NotUtf8,
    });

    /// <summary>The physical line of a character in the current record, counting line ends as Sep does (CRLF, LF or CR).</summary>
    private long LineAt(ReadOnlySpan<char> text, int index)
    {
        var before = text[..index];
        return Line + before.Count('\n') + before.Count('\r') - before.Count("\r\n");
    }
}
