using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Warehouse.ServiceDefaults.Health;

/// <summary>A JSON body with each check's status, read by the gateway's aggregated health view.</summary>
public static class HealthResponseWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new HealthStatusReport(
            report.Status.ToString(),
            report.Entries.ToDictionary(e => e.Key, e => new HealthEntryReport(e.Value.Status.ToString(), e.Value.Description)));
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}

public sealed record HealthStatusReport(string Status, Dictionary<string, HealthEntryReport> Checks);

public sealed record HealthEntryReport(string Status, string? Description);
