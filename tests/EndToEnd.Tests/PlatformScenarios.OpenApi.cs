using System.Net;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

public sealed partial class PlatformScenarios
{
    /// <summary>
    /// The gateway serves each service's OpenAPI document to any role under the service's name: every route the
    /// README's API tour lists is in it, with the schemas of its bodies.
    /// </summary>
    [Theory]
    [InlineData("taskservice",
        "GET /api/tasks|GET /api/tasks/snapshot|POST /api/tasks|GET /api/tasks/{id}|POST /api/tasks/{id}/assign|POST /api/tasks/{id}/start|POST /api/tasks/{id}/complete|POST /api/tasks/{id}/cancel|POST /api/scan",
        "HttpValidationProblemDetails|ScanRequest|ScanResponse|TaskDraft|TaskItem|TaskPage|TaskSnapshotPage|TransitionRequest")]
    [InlineData("importservice",
        "POST /api/imports|GET /api/imports/{id}|POST /api/imports/{id}/cancel",
        "ImportJob|ImportJobView|RowError")]
    public async Task Each_services_OpenAPI_document_lists_its_routes_and_schemas(string service, string operations, string schemas)
    {
        var document = await (await platform.Client("operator", "WH1").GetAsync($"/openapi/{service}.json")).ExpectAsync(HttpStatusCode.OK);

        var listed = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(method => $"{method.Name.ToUpperInvariant()} {path.Name.TrimEnd('/')}"));
        Assert.Equal(operations.Split('|').Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Equal(schemas, string.Join("|", document.GetProperty("components").GetProperty("schemas").EnumerateObject().Select(s => s.Name).Order(StringComparer.Ordinal)));
    }
}
