using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Warehouse.ImportService.Model;
using Warehouse.Security;
using Warehouse.Testing;

namespace Warehouse.ImportService.Tests;

[Collection(ImportServiceCollection.Name)]
public sealed class ImportsApiTests(ImportServiceFixture fixture)
{
    private readonly Uploader _uploader = new(fixture);

    [Fact]
    public async Task A_clean_file_is_imported_whole_with_BOM_CRLF_quotes_and_any_column_order()
    {
        var warehouse = _uploader.Warehouse;
        var csv = "\uFEFFsku,warehouse_id,type,quantity,from_location,to_location,assignee\r\n"
            + $"\"SKU-1\",{warehouse},pick,3,A-01,,\r\n"
            + $"SKU-2,\"{warehouse}\",putaway,4,A-02,\"B-01\",ann\r\n"
            + $"SKU-3,{warehouse},count,1,C-01,,\r\n\r\n";

        var view = await _uploader.Planner.ImportAsync(csv);

        Assert.Equal((ImportStatuses.Succeeded, 3L, 3L, 0L), (view.Job.Status, view.Job.TotalRows, view.Job.ImportedRows, view.Job.RejectedRows));
        Assert.Empty(view.Errors);
        Assert.Equal(3, await fixture.ScalarAsync("SELECT count(*) FROM tasks WHERE warehouse_id = $1 AND import_job_id = $2", warehouse, view.Job.Id));
        Assert.Equal(1, await fixture.ScalarAsync("SELECT count(*) FROM tasks WHERE warehouse_id = $1 AND status = 'assigned' AND to_location = 'B-01'", warehouse));
        Assert.Equal(1, await fixture.ScalarAsync("SELECT sequence FROM warehouse_sequences WHERE warehouse_id = $1", warehouse));
    }

    [Theory]
    [InlineData("", 1, "file", "empty")]
    [InlineData("warehouse_id;type;sku;quantity;from_location\nW;pick;S;1;A\n", 1, "header", "comma-separated")]
    [InlineData("warehouse,type,sku,quantity,from_location\n", 1, "header", "missing column(s) warehouse_id")]
    [InlineData("warehouse_id,type,sku,quantity,from_location,color\n", 1, "header", "unknown column(s) color")]
    [InlineData("warehouse_id,type,sku,quantity,from_location\nW,pick,S,1,A\nW,pick,S,x1,A\n", 3, "quantity", "'x1' is not a whole number")]
    [InlineData("warehouse_id,type,sku,quantity,from_location\nW,pick,S,1,A\nW,pick,S,-5,A\n", 3, "quantity", "quantity must be between 1 and 100000.")]
    [InlineData("warehouse_id,type,sku,quantity,from_location\nW,pick,S,99999999999999999999,A\n", 2, "quantity", "quantity must be between 1 and 100000.")]
    [InlineData("warehouse_id,type,sku,quantity,from_location\nW,pick,S,0,A\n", 2, "quantity", "between 1 and")]
    [InlineData("warehouse_id,type,sku,quantity,from_location\nW,fly,S,1,A\n", 2, "type", "must be one of")]
    [InlineData("warehouse_id,type,sku,quantity,from_location\nW,pick,S,1,A,extra\n", 2, "row", "expected 5 fields, found 6")]
    [InlineData("warehouse_id,type,sku,quantity,from_location\nW,putaway,S,1,A\n", 2, "to_location", "required")]
    [InlineData("warehouse_id,type,sku,quantity,from_location\nW,pick,S,1,A\n\"W,pick,S,1,A\n", 3, "file", "never closed")]
    [InlineData("warehouse_id,type,sku,quantity,from_location\nW,pick,S\"x,1,A\n", 2, "file", "quote inside an unquoted field")]
    public async Task A_bad_file_fails_naming_the_line_and_writes_nothing(string csv, long line, string field, string message)
    {
        var before = await fixture.ScalarAsync("SELECT count(*) FROM tasks");

        var view = await _uploader.Planner.ImportAsync(csv);

        Assert.Equal(ImportStatuses.Failed, view.Job.Status);
        Assert.Equal(0, view.Job.ImportedRows);
        Assert.Contains(view.Errors, e => e.Line == line && e.Field == field && e.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal(before, await fixture.ScalarAsync("SELECT count(*) FROM tasks"));
    }

    [Fact]
    public async Task An_over_long_field_names_its_line_and_column()
    {
        var view = await _uploader.Planner.ImportAsync($"{ImportApiClient.Header}\nW1,pick,{new string('S', 65)},1,A,,\n");
        Assert.Contains(view.Errors, e => e.Line == 2 && e.Field == "sku" && e.Message.Contains("at most 64"));
    }

    [Fact]
    public async Task A_binary_file_is_refused_and_writes_nothing()
    {
        var before = await fixture.ScalarAsync("SELECT count(*) FROM tasks");
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0xFF, 0xFE, 0xC3 };

        var job = await (await _uploader.Planner.UploadAsync(png)).ReadAsync<ImportJob>(HttpStatusCode.Accepted);
        var view = await _uploader.Planner.WaitForAsync(job.Id);

        Assert.Equal(ImportStatuses.Failed, view.Job.Status);
        Assert.Contains(view.Errors, e => e.Field == "file" && (e.Message.Contains("UTF-8") || e.Message.Contains("binary")));
        Assert.Equal(before, await fixture.ScalarAsync("SELECT count(*) FROM tasks"));
    }

    [Fact]
    public async Task An_invalid_UTF8_byte_deep_in_the_file_is_reported_on_its_own_line()
    {
        // Far past the reader's 64 KiB buffer, so the line where a buffer starts is not the answer by accident.
        var rows = ImportApiClient.Rows("UTF", 5000);
        var csv = Encoding.UTF8.GetBytes($"{ImportApiClient.Header}\n{rows}");
        byte[] bad = [.. Encoding.UTF8.GetBytes("UTF,pick,SKU-"), 0xFF, .. Encoding.UTF8.GetBytes(",1,A-01,,\n")];

        var job = await (await _uploader.Planner.UploadAsync([.. csv, .. bad, .. Encoding.UTF8.GetBytes(rows)])).ReadAsync<ImportJob>(HttpStatusCode.Accepted);
        var view = await _uploader.Planner.WaitForAsync(job.Id);

        Assert.Equal(ImportStatuses.Failed, view.Job.Status);
        var error = Assert.Single(view.Errors);
        Assert.Equal((5002L, "file", "The file cannot be read as CSV: the file is not valid UTF-8 text."), (error.Line, error.Field, error.Message));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    public async Task An_upload_that_is_not_declared_as_CSV_is_415_naming_text_csv_and_leaves_no_job(string? contentType)
    {
        var jobs = await fixture.ScalarAsync("SELECT count(*) FROM import_jobs");
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes($"{ImportApiClient.Header}\nW1,pick,S,1,A,,\n"));
        content.Headers.ContentType = contentType is null ? null : new MediaTypeHeaderValue(contentType);

        var problem = await (await _uploader.Planner.PostAsync("/api/imports", content)).ExpectAsync(HttpStatusCode.UnsupportedMediaType);

        Assert.Equal("Send the body with Content-Type: text/csv.", problem.GetProperty("detail").GetString());
        Assert.Equal(jobs, await fixture.ScalarAsync("SELECT count(*) FROM import_jobs"));
    }

    [Fact]
    public async Task A_gzip_compressed_upload_is_415_saying_it_is_compressed_and_leaves_no_job()
    {
        var jobs = await fixture.ScalarAsync("SELECT count(*) FROM import_jobs");
        using var compressed = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes($"{ImportApiClient.Header}\nW1,pick,S,1,A,,\n"));
        }

        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Headers.ContentEncoding.Add("gzip");
        var problem = await (await _uploader.Planner.PostAsync("/api/imports", content)).ExpectAsync(HttpStatusCode.UnsupportedMediaType);

        Assert.Equal("The upload is compressed (Content-Encoding: gzip); send the CSV uncompressed.", problem.GetProperty("detail").GetString());
        Assert.Equal(jobs, await fixture.ScalarAsync("SELECT count(*) FROM import_jobs"));
    }

    [Fact]
    public async Task The_OpenAPI_document_says_the_upload_takes_text_csv()
    {
        var document = await (await _uploader.Planner.GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);

        var upload = document.GetProperty("paths").EnumerateObject().Single(p => p.Name.TrimEnd('/') == "/api/imports").Value.GetProperty("post");
        Assert.Equal(["text/csv"], upload.GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(c => c.Name));
    }

    [Fact]
    public async Task One_bad_row_among_many_rejects_the_whole_file_but_every_bad_line_is_reported()
    {
        var warehouse = _uploader.Warehouse;
        var rows = ImportApiClient.Rows(warehouse, 5000).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        rows[1000] = $"{warehouse},pick,SKU-X,lots,A-01,,";
        rows[4000] = $"{warehouse},teleport,SKU-Y,1,A-01,,";

        var view = await _uploader.Planner.ImportAsync(ImportApiClient.Header + "\n" + string.Join("\n", rows) + "\n");

        Assert.Equal((ImportStatuses.Failed, 5000L, 0L, 2L), (view.Job.Status, view.Job.TotalRows, view.Job.ImportedRows, view.Job.RejectedRows));
        Assert.Equal([(1002L, "quantity"), (4002L, "type")], view.Errors.Select(e => (e.Line, e.Field)));
        Assert.Equal(0, await fixture.ScalarAsync("SELECT count(*) FROM tasks WHERE warehouse_id = $1", warehouse));
    }

    [Fact]
    public async Task Skipping_bad_rows_imports_the_good_ones_and_reports_the_bad()
    {
        var warehouse = _uploader.Warehouse;
        var csv = $"{ImportApiClient.Header}\n{warehouse},pick,S1,1,A,,\n{warehouse},pick,S2,zero,A,,\n{warehouse},pick,S3,2,A,,\n";

        var view = await _uploader.Planner.ImportAsync(csv, skipInvalidRows: true);

        Assert.Equal((ImportStatuses.Succeeded, 3L, 2L, 1L), (view.Job.Status, view.Job.TotalRows, view.Job.ImportedRows, view.Job.RejectedRows));
        Assert.Equal([(3L, "quantity")], view.Errors.Select(e => (e.Line, e.Field)));
        Assert.Equal(2, await fixture.ScalarAsync("SELECT count(*) FROM tasks WHERE warehouse_id = $1", warehouse));
    }

    /// <summary>Chunked: no Content-Length to refuse up front, so the service must count while it stores the file.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_upload_over_the_limit_is_413_and_leaves_no_job_and_no_file(bool chunked)
    {
        var jobsBefore = await fixture.ScalarAsync("SELECT count(*) FROM import_jobs");
        var chunksBefore = await fixture.ScalarAsync("SELECT count(*) FROM import_uploads");
        var oversized = Encoding.UTF8.GetBytes(ImportApiClient.Header + "\n" + new string('x', 1024 * 1024 + 10));
        await using var factory = fixture.StartService(b => b.UseSetting("Imports:MaxFileBytes", "1048576"));
        var planner = factory.CreateClient().WithToken(fixture.Data.Token(Roles.Planner, "tester", Uploader.FixedWarehouses));

        var response = chunked
            ? await planner.PostAsync("/api/imports?fileName=test.csv", new ChunkedContent(oversized, "text/csv"))
            : await planner.UploadAsync(oversized);

        await response.ExpectAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(jobsBefore, await fixture.ScalarAsync("SELECT count(*) FROM import_jobs"));
        Assert.Equal(chunksBefore, await fixture.ScalarAsync("SELECT count(*) FROM import_uploads"));
    }

    [Fact]
    public async Task Operators_cannot_import_and_unknown_jobs_are_404()
    {
        var operatorClient = fixture.Client(Roles.Operator);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.UploadAsync("x")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _uploader.Planner.GetAsync($"/api/imports/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _uploader.Planner.PostAsync($"/api/imports/{Guid.NewGuid()}/cancel", null)).StatusCode);
    }
}
