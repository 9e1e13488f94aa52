using System.Net.Http.Json;
using Warehouse.ApiGateway.Proxy;
using Warehouse.ServiceDefaults.Health;
using Warehouse.Security;

namespace Warehouse.ApiGateway.Apis;

/// <summary>An admin-only view of every downstream service's readiness, for people; Prometheus probes the services directly.</summary>
public static class PlatformHealthApi
{
    public const string HttpClientName = "downstream-health";

    public static IEndpointConventionBuilder MapPlatformHealthApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/health/platform", GetPlatformHealth).RequireAuthorization(Policies.Administration).ExcludeFromDescription();

    public static async Task<IResult> GetPlatformHealth(IHttpClientFactory clients, CancellationToken ct)
    {
        var client = clients.CreateClient(HttpClientName);
        var checks = await Task.WhenAll(ProxyRoutes.Services.Select(async service =>
            (service, report: await Probe(client, service, ct))));
        var services = checks.ToDictionary(c => c.service, c => c.report);
        var worst = services.Values.Select(r => r.Status).OrderBy(Severity).LastOrDefault() ?? "Healthy";
        return TypedResults.Ok(new { status = worst, services });
    }

    private static async Task<HealthStatusReport> Probe(HttpClient client, string service, CancellationToken ct)
    {
        try
        {
            // Service discovery (ServiceDefaults) resolves the name, as it does for the proxy.
            using var response = await client.GetAsync($"{ProxyRoutes.ServiceAddress(service)}/health", ct);
            return await response.Content.ReadFromJsonAsync<HealthStatusReport>(ct)
                ?? new HealthStatusReport("Unhealthy", []);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or Polly.Timeout.TimeoutRejectedException)
        {
            return new HealthStatusReport("Unhealthy", new() { ["reachable"] = new HealthEntryReport("Unhealthy", ex.Message) });
        }
    }

    private static int Severity(string status) => status switch { "Healthy" => 0, "Degraded" => 1, _ => 2 };
}
