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
    /// token so that validation, not a role, is what answers. Each answer is a 4xx; a 400 names the field, parameter
    /// or JSON path; nothing is written. The counts go to the test output.
    /// </summary>
    [Fact]
    public async Task Bad_input_on_every_route_is_a_4xx_naming_what_is_wrong_and_writes_nothing()
    {
        var warehouse = Traffic.NewWarehouse("BAD");
        var admin = platform.Client("admin");
        var task = await Traffic.CreateTaskAsync(admin, warehouse);
        var id = task.GetProperty("id").GetGuid();
        var before = await TotalTasksAsync(admin);

        var results = new List<(string Class, string Request, HttpStatusCode Status)>();
        foreach (var (inputClass, method, path, body, contentType) in BadInputs(warehouse, id))
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                if (contentType is not null)
                {
                    request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
                }
            }

            using var response = await admin.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var label = $"{inputClass}: {method} {path}";
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{label} answered {(int)response.StatusCode}: {text}");
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                var problem = JsonDocument.Parse(text).RootElement;
                Assert.True(problem.TryGetProperty("errors", out var errors) && errors.EnumerateObject().Any(), $"{label}: a 400 that names nothing: {text}");
            }

            results.Add((inputClass, label, response.StatusCode));
        }

        Assert.Equal(before, await TotalTasksAsync(admin));
        Assert.Equal(task.GetRawText(), (await admin.GetFromJsonAsync<JsonElement>($"/api/tasks/{id}")).GetRawText());
        output.WriteLine($"bad-input battery: {results.Count} requests, 5xx = {results.Count(r => (int)r.Status >= 500)}");
        foreach (var group in results.GroupBy(r => r.Class))
        {
            output.WriteLine($"  {group.Key}: {group.Count()} requests, " + string.Join(", ", group.GroupBy(r => (int)r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} × {g.Count()}")));
        }
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

    /// <summary>Class, method, path (as sent), body bytes, Content-Type.</summary>
    private static IEnumerable<(string, HttpMethod, string, byte[]?, string?)> BadInputs(string warehouse, Guid taskId)
    {
        const string Json = "application/json";
        static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
        string Draft(string field, string value) =>
            JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["warehouseId"] = warehouse, ["type"] = "pick", ["sku"] = "SKU-1", ["quantity"] = 1, ["fromLocation"] = "A-01",
            }.Where(p => p.Key != field).Append(new(field, value)).ToDictionary());
        var transitions = new[] { "assign", "start", "complete", "cancel" };
        var huge = new string('x', 10_000);

        // Overflowing numbers.
        foreach (var query in new[] { "page=2147483648", "page=99999999999999999999", "pageSize=-1", "page=-2147483648", "pageSize=1e3" })
        {
            yield return ("overflow", HttpMethod.Get, $"/api/tasks?{query}", null, null);
        }

        yield return ("overflow", HttpMethod.Post, "/api/tasks", Utf8($$"""{"warehouseId":"{{warehouse}}","type":"pick","sku":"S","quantity":99999999999,"fromLocation":"A"}"""), Json);
        yield return ("overflow", HttpMethod.Post, "/api/tasks", Utf8($$"""{"warehouseId":"{{warehouse}}","type":"pick","sku":"S","quantity":1e400,"fromLocation":"A"}"""), Json);
        yield return ("overflow", HttpMethod.Post, "/api/scan", Utf8($$"""{"scanId":"{{Guid.NewGuid()}}","taskId":"{{taskId}}","sku":"SKU-1","location":"A-01","quantity":2147483648}"""), Json);
        foreach (var action in transitions)
        {
            yield return ("overflow", HttpMethod.Post, $"/api/tasks/{taskId}/{action}", Utf8("""{"version":2147483648,"assignee":"bob"}"""), Json);
        }

        yield return ("overflow", HttpMethod.Get, $"/api/imports/{Guid.NewGuid()}?errors=99999999999", null, null);

        // Malformed structure.
        foreach (var body in new[] { "{", "[1,2]", "null", "\"text\"", """{"warehouseId":42}""", """{"quantity":"three"}""" })
        {
            yield return ("malformed", HttpMethod.Post, "/api/tasks", Utf8(body), Json);
            yield return ("malformed", HttpMethod.Post, "/api/scan", Utf8(body), Json);
        }

        foreach (var action in transitions)
        {
            yield return ("malformed", HttpMethod.Post, $"/api/tasks/{taskId}/{action}", Utf8("""{"version":"one"}"""), Json);
            yield return ("malformed", HttpMethod.Post, $"/api/tasks/not-a-guid/{action}", Utf8("""{"version":1}"""), Json);
        }

        yield return ("malformed", HttpMethod.Get, "/api/tasks/not-a-guid", null, null);
        yield return ("malformed", HttpMethod.Get, "/api/tasks?status=lost", null, null);
        yield return ("malformed", HttpMethod.Get, "/api/imports/not-a-guid", null, null);
        yield return ("malformed", HttpMethod.Post, "/api/imports?skipInvalidRows=maybe", Utf8("warehouse_id\n"), "text/csv");
        yield return ("malformed", HttpMethod.Post, "/api/scan", Utf8("""{"scanId":"not-a-guid","taskId":"x"}"""), Json);

        // Oversized text and bodies.
        foreach (var field in new[] { "warehouseId", "sku", "fromLocation", "toLocation", "assignee" })
        {
            yield return ("oversized", HttpMethod.Post, "/api/tasks", Utf8(Draft(field, huge[..200])), Json);
        }

        yield return ("oversized", HttpMethod.Get, $"/api/tasks?warehouseId={huge[..100]}", null, null);
        yield return ("oversized", HttpMethod.Get, $"/api/tasks?assignee={huge[..100]}", null, null);
        yield return ("oversized", HttpMethod.Post, $"/api/imports?fileName={huge[..300]}", Utf8("warehouse_id\n"), "text/csv");
        yield return ("oversized", HttpMethod.Post, "/api/scan", Utf8($$"""{"scanId":"{{Guid.NewGuid()}}","taskId":"{{taskId}}","sku":"{{huge[..100]}}","location":"A-01"}"""), Json);
        yield return ("oversized", HttpMethod.Post, "/api/tasks", Utf8(Draft("sku", new string('x', 2 * 1024 * 1024))), Json);
        yield return ("oversized", HttpMethod.Post, $"/api/tasks/{taskId}/assign", Utf8($$"""{"version":1,"assignee":"{{huge[..200]}}"}"""), Json);

        // Mis-encoded and control characters.
        foreach (var query in new[] { "warehouseId=WH%00X", "assignee=a%01b", "warehouseId=%FF%FE", "status=%C0%AF", "assignee=%ED%A0%80" })
        {
            yield return ("mis-encoded", HttpMethod.Get, $"/api/tasks?{query}", null, null);
        }

        foreach (var field in new[] { "warehouseId", "sku", "fromLocation", "assignee" })
        {
            yield return ("mis-encoded", HttpMethod.Post, "/api/tasks", Utf8(Draft(field, "A\u0000B")), Json);
            yield return ("mis-encoded", HttpMethod.Post, "/api/tasks", Utf8(Draft(field, "A\u001bB")), Json);
        }

        yield return ("mis-encoded", HttpMethod.Post, "/api/tasks", [.. Utf8($$"""{"warehouseId":"{{warehouse}}","type":"pick","sku":"S"""), 0xFF, 0xFE, .. Utf8("\",\"quantity\":1,\"fromLocation\":\"A\"}")], Json);
        yield return ("mis-encoded", HttpMethod.Post, "/api/tasks", Utf8($$"""{"warehouseId":"{{warehouse}}","type":"pick","sku":"\uD800","quantity":1,"fromLocation":"A"}"""), Json);
        yield return ("mis-encoded", HttpMethod.Post, "/api/scan", Utf8($$"""{"scanId":"{{Guid.NewGuid()}}","taskId":"{{taskId}}","sku":"SKU\u0000","location":"A-01"}"""), Json);
        yield return ("mis-encoded", HttpMethod.Post, "/api/scan", [.. Utf8($$"""{"scanId":"{{Guid.NewGuid()}}","taskId":"{{taskId}}","sku":"SKU-1","location":"A"""), 0xC0, 0xAF, .. Utf8("\"}")], Json);
        yield return ("mis-encoded", HttpMethod.Post, $"/api/tasks/{taskId}/assign", Utf8("""{"version":1,"assignee":"b\u0000b"}"""), Json);

        // Wrong media types.
        yield return ("media type", HttpMethod.Post, "/api/tasks", Utf8(Draft("sku", "S")), "text/plain");
        yield return ("media type", HttpMethod.Post, "/api/tasks", Utf8(Draft("sku", "S")), null);
        yield return ("media type", HttpMethod.Post, "/api/scan", Utf8("scanId=1"), "application/x-www-form-urlencoded");
        yield return ("media type", HttpMethod.Post, "/api/imports", Utf8($"warehouse_id,type,sku,quantity,from_location\n{warehouse},pick,S,1,A\n"), "application/json");
        yield return ("media type", HttpMethod.Post, "/api/imports", Utf8($"warehouse_id,type,sku,quantity,from_location\n{warehouse},pick,S,1,A\n"), null);
    }
}
