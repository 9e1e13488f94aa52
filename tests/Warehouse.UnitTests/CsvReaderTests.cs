extern alias importservice;

using importservice::Warehouse.ImportService.Csv;

namespace Warehouse.UnitTests;

public sealed class CsvReaderTests
{
    private static List<(long Line, string[] Fields)> ReadAll(string text)
    {
        var reader = new CsvReader(new StringReader(text));
        var fields = new List<string>();
        var records = new List<(long, string[])>();
        while (reader.TryReadRecord(fields))
        {
            records.Add((reader.Line, fields.ToArray()));
        }

        return records;
    }

    private static string Describe(IEnumerable<(long Line, string[] Fields)> records) =>
        string.Join(" | ", records.Select(r => $"{r.Line}:[{string.Join(";", r.Fields)}]"));

    [Fact]
    public void Reads_plain_records_with_LF_and_CRLF_and_no_final_newline() =>
        Assert.Equal("1:[a;b] | 2:[c;] | 3:[;d]", Describe(ReadAll("a,b\r\nc,\n,d")));

    [Fact]
    public void Quoted_fields_keep_commas_doubled_quotes_and_line_breaks_and_lines_are_physical()
    {
        var records = ReadAll("\"x,y\",\"say \"\"hi\"\"\"\n\"multi\r\nline\",z\nlast,row\n");
        Assert.Equal(["x,y", "say \"hi\""], records[0].Fields);
        Assert.Equal(["multi\r\nline", "z"], records[1].Fields);
        Assert.Equal((1L, 2L, 4L), (records[0].Line, records[1].Line, records[2].Line));
    }

    [Fact]
    public void An_empty_input_has_no_records() => Assert.Empty(ReadAll(""));

    [Fact]
    public void Records_longer_than_the_read_buffer_are_read_whole()
    {
        var big = new string('x', 200_000);
        Assert.Equal([big, "y"], ReadAll($"\"{big}\",y\n")[0].Fields);
    }

    [Theory]
    [InlineData("a,b\nc,\"open\n", 2, "never closed")]
    [InlineData("a,b\"c\n", 1, "quote inside an unquoted field")]
    [InlineData("a,\"b\"c\n", 1, "after a closing quote")]
    [InlineData("a,b\nc\0d\n", 2, "binary content")]
    // In a record that spans lines, the line of the offending character, not the record's first line.
    [InlineData("a\n\"x\r\ny\0\",b\n", 3, "binary content")]
    [InlineData("a\n\"x\ny\",b\uFFFF\n", 3, "not valid UTF-8")]
    [InlineData("a\n\"x\ny\"z,b\n", 3, "after a closing quote")]
    public void Broken_input_names_its_line(string text, long line, string message)
    {
        var error = Assert.Throws<CsvFormatException>(() => ReadAll(text));
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message);
    }
}
