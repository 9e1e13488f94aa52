using System.Net.Http.Json;
using Warehouse.ApiGateway.Proxy;
using Warehouse.ServiceDefaults.Health;
using Warehouse.Security;

namespace Warehouse.ApiGateway.Apis;

/// <summary>An admin-only view of every downstream service's readiness, for people; Prometheus probes the services directly.</summary>
public static class PlatformHealthApi
{
    public const string HttpClientName = "downstream-health";

    /// <summary>How long a service may take to report; one that takes longer is reported Unhealthy, so the view answers within it.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

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
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return Unreachable($"{service} did not answer within {ProbeTimeout.TotalSeconds:0} s.");
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException)
        {
            return Unreachable(ex.Message);
        }
    }

    private static HealthStatusReport Unreachable(string description) =>
        new("Unhealthy", new() { ["reachable"] = new HealthEntryReport("Unhealthy", description) });

    private static int Severity(string status) => status switch { "Healthy" => 0, "Degraded" => 1, _ => 2 };
}
