using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

public sealed partial class PlatformScenarios
{
    /// <summary>
    /// Malformed, oversized, overflowing and mis-encoded input to every route, through the gateway, with an admin's
    /// token so that validation, not a role, is what answers. Each request has its exact status and, where the answer
    /// is a validation problem, the field, parameter or JSON path its <c>errors</c> must name; nothing is written.
    /// Every row is sent before the verdict, so one run lists every answer that differs.
    /// </summary>
    [Fact]
    public async Task Bad_input_on_every_route_gets_its_exact_status_naming_what_is_wrong_and_writes_nothing()
    {
        var warehouse = Traffic.NewWarehouse("BAD");
        var admin = platform.Client("admin");
        var task = await Traffic.CreateTaskAsync(admin, warehouse);
        var id = task.GetProperty("id").GetGuid();
        var before = await TotalTasksAsync(admin);

        var wrong = new List<string>();
        var table = BadInputs(warehouse, id).ToList();
        foreach (var input in table)
        {
            using var request = new HttpRequestMessage(input.Method, input.Path);
            if (input.Body is not null)
            {
                request.Content = new ByteArrayContent(input.Body);
                if (input.ContentType is not null)
                {
                    request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(input.ContentType);
                }
            }

            using var response = await admin.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var named = Named(response, text);
            if (response.StatusCode != input.Status || (input.Field is not null && !named.Contains(input.Field)))
            {
                wrong.Add($"{input.Class}: {input.Method} {Shorten(input.Path)}: expected {(int)input.Status} naming {input.Field ?? "-"}, "
                    + $"got {(int)response.StatusCode} naming [{string.Join(", ", named)}]: {Shorten(text)}");
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} of {table.Count} answers differ:\n{string.Join("\n", wrong)}");
        Assert.Equal(before, await TotalTasksAsync(admin));
        Assert.Equal(task.GetRawText(), (await admin.GetFromJsonAsync<JsonElement>($"/api/tasks/{id}")).GetRawText());
    }

    /// <summary>
    /// An oversized body gets its 413 problem from the gateway, whether it declares its length (refused up front) or is
    /// chunked (stopped while it streams, before it reaches the service), and nothing is written. The body is 16 times
    /// the limit, so the client is still sending when the gateway answers: the answer must survive that (a gateway
    /// that closes with unread bytes makes the kernel reset the connection, and the client sees a broken pipe).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_the_route_limit_is_413_at_the_gateway_while_the_client_still_sends_and_writes_nothing(bool chunked)
    {
        var warehouse = Traffic.NewWarehouse("BIG");
        var admin = platform.Client("admin");
        var before = await TotalTasksAsync(admin);
        var body = Encoding.UTF8.GetBytes($$"""{"warehouseId":"{{warehouse}}","type":"pick","sku":"{{new string('x', 16 * 1024 * 1024)}}","quantity":1,"fromLocation":"A-01"}""");
        using HttpContent content = chunked ? new ChunkedContent(body, "application/json") : new ByteArrayContent(body);
        content.Headers.ContentType ??= new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await admin.PostAsync("/api/tasks", content);

        Assert.Equal(chunked, content.Headers.ContentLength is null);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("the limit for this route is 1048576 bytes", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await TotalTasksAsync(admin));
        Assert.Equal(0, (await admin.GetFromJsonAsync<JsonElement>($"/api/tasks?warehouseId={warehouse}")).GetProperty("total").GetInt64());
    }

    private static async Task<long> TotalTasksAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonElement>("/api/tasks?pageSize=1")).GetProperty("total").GetInt64();

    /// <summary>The keys of a problem's <c>errors</c>; none for any other answer.</summary>
    private static IReadOnlyList<string> Named(HttpResponseMessage response, string text) =>
        response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            && JsonDocument.Parse(text).RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
            ? [.. errors.EnumerateObject().Select(e => e.Name)]
            : [];

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..160] + "...";

    /// <summary>One row: what is sent, the status it must get, and the field the problem must name (null: no field).</summary>
    private sealed record BadInput(string Class, HttpMethod Method, string Path, byte[]? Body, string? ContentType, HttpStatusCode Status, string? Field);

    /// <summary>Every row of the battery.</summary>
    private static IEnumerable<BadInput> BadInputs(string warehouse, Guid taskId)
    {
        const string Json = "application/json";
        const HttpStatusCode Bad = HttpStatusCode.BadRequest;
        static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
        string Draft(string field, string value) =>
            JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["warehouseId"] = warehouse, ["type"] = "pick", ["sku"] = "SKU-1", ["quantity"] = 1, ["fromLocation"] = "A-01",
            }.Where(p => p.Key != field).Append(new(field, value)).ToDictionary());
        var transitions = new[] { "assign", "start", "complete", "cancel" };
        var huge = new string('x', 10_000);

        // Overflowing numbers.
        foreach (var (query, parameter) in new[] { ("page=2147483648", "page"), ("page=99999999999999999999", "page"), ("pageSize=-1", "pageSize"), ("page=-2147483648", "page"), ("pageSize=1e3", "pageSize") })
        {
            yield return new("overflow", HttpMethod.Get, $"/api/tasks?{query}", null, null, Bad, parameter);
        }

        yield return new("overflow", HttpMethod.Post, "/api/tasks", Utf8($$"""{"warehouseId":"{{warehouse}}","type":"pick","sku":"S","quantity":99999999999,"fromLocation":"A"}"""), Json, Bad, "quantity");
        yield return new("overflow", HttpMethod.Post, "/api/tasks", Utf8($$"""{"warehouseId":"{{warehouse}}","type":"pick","sku":"S","quantity":1e400,"fromLocation":"A"}"""), Json, Bad, "quantity");
        yield return new("overflow", HttpMethod.Post, "/api/scan", Utf8($$"""{"scanId":"{{Guid.NewGuid()}}","taskId":"{{taskId}}","sku":"SKU-1","location":"A-01","quantity":2147483648}"""), Json, Bad, "quantity");
        foreach (var action in transitions)
        {
            yield return new("overflow", HttpMethod.Post, $"/api/tasks/{taskId}/{action}", Utf8("""{"version":2147483648,"assignee":"bob"}"""), Json, Bad, "version");
        }

        yield return new("overflow", HttpMethod.Get, $"/api/imports/{Guid.NewGuid()}?errors=99999999999", null, null, Bad, "errors");

        // Malformed structure.
        // A scan has no warehouseId: that property is ignored, and the scan's own required fields are missing.
        foreach (var (body, inTask, inScan) in new[]
        {
            ("{", "body", "body"), ("[1,2]", "body", "body"), ("\"text\"", "body", "body"), ("""{"warehouseId":42}""", "warehouseId", "scanId"), ("""{"quantity":"three"}""", "quantity", "quantity"),
        })
        {
            yield return new("malformed", HttpMethod.Post, "/api/tasks", Utf8(body), Json, Bad, inTask);
            yield return new("malformed", HttpMethod.Post, "/api/scan", Utf8(body), Json, Bad, inScan);
        }

        // A JSON null body binds no request: the problem names the body, not the framework's "Implicit body inferred".
        yield return new("malformed", HttpMethod.Post, "/api/tasks", Utf8("null"), Json, Bad, "body");
        yield return new("malformed", HttpMethod.Post, "/api/scan", Utf8("null"), Json, Bad, "body");

        foreach (var action in transitions)
        {
            yield return new("malformed", HttpMethod.Post, $"/api/tasks/{taskId}/{action}", Utf8("""{"version":"one"}"""), Json, Bad, "version");
            yield return new("malformed", HttpMethod.Post, $"/api/tasks/not-a-guid/{action}", Utf8("""{"version":1}"""), Json, HttpStatusCode.NotFound, null);
        }

        yield return new("malformed", HttpMethod.Get, "/api/tasks/not-a-guid", null, null, HttpStatusCode.NotFound, null);
        yield return new("malformed", HttpMethod.Get, "/api/tasks?status=lost", null, null, Bad, "status");
        yield return new("malformed", HttpMethod.Get, "/api/imports/not-a-guid", null, null, HttpStatusCode.NotFound, null);
        yield return new("malformed", HttpMethod.Post, "/api/imports?skipInvalidRows=maybe", Utf8("warehouse_id\n"), "text/csv", Bad, "skipInvalidRows");
        yield return new("malformed", HttpMethod.Post, "/api/scan", Utf8("""{"scanId":"not-a-guid","taskId":"x"}"""), Json, Bad, "scanId");

        // Oversized text and bodies.
        foreach (var field in new[] { "warehouseId", "sku", "fromLocation", "toLocation", "assignee" })
        {
            yield return new("oversized", HttpMethod.Post, "/api/tasks", Utf8(Draft(field, huge[..200])), Json, Bad, field);
        }

        yield return new("oversized", HttpMethod.Get, $"/api/tasks?warehouseId={huge[..100]}", null, null, Bad, "warehouseId");
        yield return new("oversized", HttpMethod.Get, $"/api/tasks?assignee={huge[..100]}", null, null, Bad, "assignee");
        yield return new("oversized", HttpMethod.Post, $"/api/imports?fileName={huge[..300]}", Utf8("warehouse_id\n"), "text/csv", Bad, "fileName");
        yield return new("oversized", HttpMethod.Post, "/api/scan", Utf8($$"""{"scanId":"{{Guid.NewGuid()}}","taskId":"{{taskId}}","sku":"{{huge[..100]}}","location":"A-01"}"""), Json, Bad, "sku");
        yield return new("oversized", HttpMethod.Post, "/api/tasks", Utf8(Draft("sku", new string('x', 2 * 1024 * 1024))), Json, HttpStatusCode.RequestEntityTooLarge, null);
        yield return new("oversized", HttpMethod.Post, $"/api/tasks/{taskId}/assign", Utf8($$"""{"version":1,"assignee":"{{huge[..200]}}"}"""), Json, Bad, "assignee");

        // Mis-encoded and control characters.
        foreach (var (query, parameter) in new[] { ("warehouseId=WH%00X", "warehouseId"), ("assignee=a%01b", "assignee"), ("warehouseId=%FF%FE", "warehouseId"), ("status=%C0%AF", "status"), ("assignee=%ED%A0%80", "assignee") })
        {
            yield return new("mis-encoded", HttpMethod.Get, $"/api/tasks?{query}", null, null, Bad, parameter);
        }

        foreach (var field in new[] { "warehouseId", "sku", "fromLocation", "assignee" })
        {
            yield return new("mis-encoded", HttpMethod.Post, "/api/tasks", Utf8(Draft(field, "A\u0000B")), Json, Bad, field);
            yield return new("mis-encoded", HttpMethod.Post, "/api/tasks", Utf8(Draft(field, "A\u001bB")), Json, Bad, field);
        }

        yield return new("mis-encoded", HttpMethod.Post, "/api/tasks", [.. Utf8($$"""{"warehouseId":"{{warehouse}}","type":"pick","sku":"S"""), 0xFF, 0xFE, .. Utf8("\",\"quantity\":1,\"fromLocation\":\"A\"}")], Json, Bad, "sku");
        yield return new("mis-encoded", HttpMethod.Post, "/api/tasks", Utf8($$"""{"warehouseId":"{{warehouse}}","type":"pick","sku":"\uD800","quantity":1,"fromLocation":"A"}"""), Json, Bad, "sku");
        yield return new("mis-encoded", HttpMethod.Post, "/api/scan", Utf8($$"""{"scanId":"{{Guid.NewGuid()}}","taskId":"{{taskId}}","sku":"SKU\u0000","location":"A-01"}"""), Json, Bad, "sku");
        yield return new("mis-encoded", HttpMethod.Post, "/api/scan", [.. Utf8($$"""{"scanId":"{{Guid.NewGuid()}}","taskId":"{{taskId}}","sku":"SKU-1","location":"A"""), 0xC0, 0xAF, .. Utf8("\"}")], Json, Bad, "location");
        yield return new("mis-encoded", HttpMethod.Post, $"/api/tasks/{taskId}/assign", Utf8("""{"version":1,"assignee":"b\u0000b"}"""), Json, Bad, "assignee");

        // Wrong media types.
        yield return new("media type", HttpMethod.Post, "/api/tasks", Utf8(Draft("sku", "S")), "text/plain", HttpStatusCode.UnsupportedMediaType, null);
        yield return new("media type", HttpMethod.Post, "/api/tasks", Utf8(Draft("sku", "S")), null, HttpStatusCode.UnsupportedMediaType, null);
        yield return new("media type", HttpMethod.Post, "/api/scan", Utf8("scanId=1"), "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType, null);
        yield return new("media type", HttpMethod.Post, "/api/imports", Utf8($"warehouse_id,type,sku,quantity,from_location\n{warehouse},pick,S,1,A\n"), "application/json", HttpStatusCode.UnsupportedMediaType, null);
        yield return new("media type", HttpMethod.Post, "/api/imports", Utf8($"warehouse_id,type,sku,quantity,from_location\n{warehouse},pick,S,1,A\n"), null, HttpStatusCode.UnsupportedMediaType, null);
    }
}
