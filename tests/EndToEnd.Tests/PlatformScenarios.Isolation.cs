using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Warehouse.Contracts.Hosting;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

public sealed partial class PlatformScenarios
{
    /// <summary>
    /// Every route and the hub, through the gateway, for every role from outside a warehouse: what the role allows
    /// is refused by warehouse (404 for a task or job, 403 naming <c>warehouseId</c> when the caller names the
    /// warehouse, the row's line for an import), what it does not is refused by role (403); an admin may do it all.
    /// Nothing an outsider sends is written.
    /// </summary>
    [Theory]
    [InlineData("operator", "WH-A")]
    [InlineData("planner", "WH-A")]
    [InlineData("operator", null)]
    [InlineData("planner", null)]
    public async Task A_token_acts_only_on_its_warehouses_on_every_route_and_the_hub(string role, string? own)
    {
        var theirs = Traffic.NewWarehouse("THEIRS");
        var admin = platform.Client("admin");
        var task = await Traffic.CreateTaskAsync(admin, theirs);
        var id = task.GetProperty("id").GetGuid();
        var adminImport = await Traffic.ImportAsync(admin, $"warehouse_id,type,sku,quantity,from_location\n{theirs},count,SKU-2,1,B-01\n");
        var jobId = adminImport.GetProperty("job").GetProperty("id").GetGuid();
        var caller = platform.Client(role, own);
        var isOperator = role == "operator";
        HttpStatusCode ByRole(bool operatorMay, HttpStatusCode warehouseRefusal) => operatorMay == isOperator ? warehouseRefusal : HttpStatusCode.Forbidden;

        Assert.Equal(HttpStatusCode.NotFound, (await caller.GetAsync($"/api/tasks/{id}")).StatusCode);
        await (await caller.GetAsync($"/api/tasks?warehouseId={theirs}")).ExpectProblemAsync(HttpStatusCode.Forbidden, "warehouseId");
        var listed = await (await caller.GetAsync("/api/tasks?pageSize=200")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(listed.GetProperty("items").EnumerateArray(), t => t.GetProperty("warehouseId").GetString() == theirs);
        var create = await caller.PostAsJsonAsync("/api/tasks", new { warehouseId = theirs, type = "pick", sku = "SKU-1", quantity = 1, fromLocation = "A-01" });
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        foreach (var (action, operatorMay) in new[] { ("assign", false), ("start", true), ("complete", true), ("cancel", false) })
        {
            var response = await caller.PostAsJsonAsync($"/api/tasks/{id}/{action}", new { version = 1, assignee = "mallory" });
            Assert.True(response.StatusCode == ByRole(operatorMay, HttpStatusCode.NotFound), $"{action}: {(int)response.StatusCode}");
        }

        Assert.Equal(ByRole(true, HttpStatusCode.NotFound), (await Traffic.ScanAsync(caller, id)).StatusCode);
        Assert.Equal(ByRole(false, HttpStatusCode.NotFound), (await caller.GetAsync($"/api/imports/{jobId}")).StatusCode);
        Assert.Equal(ByRole(false, HttpStatusCode.NotFound), (await caller.PostAsync($"/api/imports/{jobId}/cancel", null)).StatusCode);
        var upload = await caller.PostAsync("/api/imports", new StringContent($"warehouse_id,type,sku,quantity,from_location\n{theirs},pick,SKU-3,1,A-01\n", Encoding.UTF8, "text/csv"));
        if (isOperator || own is null)
        {
            Assert.Equal(HttpStatusCode.Forbidden, upload.StatusCode);
        }
        else
        {
            var job = await upload.ExpectAsync(HttpStatusCode.Accepted);
            var view = await WaitForImportAsync(caller, job.GetProperty("id").GetGuid());
            Assert.Equal("failed", view.GetProperty("job").GetProperty("status").GetString());
            var error = Assert.Single(view.GetProperty("errors").EnumerateArray());
            Assert.Equal((2L, "warehouse_id"), (error.GetProperty("line").GetInt64(), error.GetProperty("field").GetString()));
        }

        await using (var hub = await platform.ConnectAsync(role, own))
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync("JoinWarehouse", theirs));
            Assert.EndsWith($"Your token does not cover warehouse {theirs}.", refused.Message);
        }

        // Nothing an outsider sent was written: the task is as created, the warehouse holds the task and the admin's row.
        Assert.Equal(task.GetRawText(), (await admin.GetFromJsonAsync<JsonElement>($"/api/tasks/{id}")).GetRawText());
        Assert.Equal(2, (await admin.GetFromJsonAsync<JsonElement>($"/api/tasks?warehouseId={theirs}")).GetProperty("total").GetInt64());
        await using var adminHub = await platform.ConnectAsync("admin");
        await adminHub.InvokeAsync("JoinWarehouse", theirs);
    }

    /// <summary>
    /// The gateway's own /metrics, /health and /alive answer only on its internal management port. On the public port
    /// they are not found however the path is spelled, sent byte for byte as written (HttpClient would normalise it).
    /// </summary>
    [Theory]
    [InlineData("/metrics")]
    [InlineData("/METRICS")]
    [InlineData("/metrics/")]
    [InlineData("/metrics?format=text")]
    [InlineData("/%6Detrics")]
    [InlineData("/./metrics")]
    [InlineData("/api/../metrics")]
    [InlineData("/api/tasks/../../metrics")]
    [InlineData("/api/tasks/..%2F..%2Fmetrics")]
    [InlineData("/hubs/%2E%2E/metrics")]
    [InlineData("/health")]
    [InlineData("/Health")]
    [InlineData("/api/../health")]
    [InlineData("/alive")]
    [InlineData("/hubs/../alive")]
    public async Task The_gateways_internal_endpoints_are_not_reachable_on_its_public_port(string path)
    {
        var gateway = platform.Host.Endpoint("apigateway");
        var management = platform.Host.Endpoint("apigateway", EndpointNames.Management);

        foreach (var token in new[] { null, platform.Token("admin") })
        {
            // 404; or 401 for an anonymous path that a proxied route matches (an encoded slash stays one segment).
            var (status, body) = await RawHttp.GetAsync(gateway, path, token);
            Assert.True(status == 404 || (status == 401 && token is null), $"GET {path} on the public port ({(token is null ? "anonymous" : "admin")}): {status}\n{body}");
            Assert.DoesNotContain("# TYPE", body);
            Assert.DoesNotContain("\"Healthy\"", body);
        }

        var (managementStatus, _) = await RawHttp.GetAsync(management, "/metrics", token: null);
        Assert.Equal(200, managementStatus);
    }

    private static async Task<JsonElement> WaitForImportAsync(HttpClient client, Guid id)
    {
        JsonElement view = default;
        await Eventually.TrueAsync(async () =>
        {
            view = await (await client.GetAsync($"/api/imports/{id}")).ExpectAsync(HttpStatusCode.OK);
            return view.GetProperty("job").GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled";
        }, TimeSpan.FromSeconds(30));
        return view;
    }
}
