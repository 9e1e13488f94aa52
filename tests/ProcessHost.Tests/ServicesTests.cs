using System.Net;
using System.Net.Http.Headers;
using Warehouse.ProcessHost.Components;
using Warehouse.ProcessHost.Hosting;
using Warehouse.ProcessHost.Tests.Infrastructure;
using Warehouse.Testing;

namespace Warehouse.ProcessHost.Tests;

/// <summary>
/// The whole platform with the four services as dotnet processes. Uses their existing Debug build output
/// (the CI build of Platform.sln produces it); builds them once through ProcessHost when it is missing.
/// </summary>
public sealed class ServicesTests : IAsyncLifetime
{
    private readonly TempDir _dataDir = TestPlatform.NewDataDir();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };
    private Platform? _platform;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Teardown.DisposeAllAsync(_http, _platform, _dataDir);

    [Fact]
    public async Task The_services_start_with_the_contract_and_are_reachable_through_the_gateway()
    {
        var options = TestPlatform.Options(_dataDir.Path) with { IncludeServices = true };
        var builtAlready = ComponentNames.Services.All(s =>
            File.Exists(Path.Combine(TestPlatform.RepoRoot, ComponentNames.ProjectOf(s), "bin", "Debug", "net10.0", ComponentNames.ProjectOf(s) + ".dll")));
        _platform = new Platform(options with { BuildServices = !builtAlready });

        await _platform.StartAsync();

        var endpoints = EndpointsFile.Read(_platform.Paths.EndpointsFile);
        Assert.Equal(12, endpoints.Pids.Count);
        foreach (var service in ComponentNames.Services)
        {
            Assert.Equal($"http://127.0.0.1:{_platform.Ports[service]}", endpoints.Endpoints[service]);
            using var health = await _http.GetAsync(_platform.Url(service) + "/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        var gateway = _platform.Url("apigateway");
        using (var anonymous = await _http.GetAsync(gateway + "/api/tasks"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        // A token from the platform's key is accepted: the gateway and the services got Jwt__* from ProcessHost.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway + "/api/tasks"));

        // Fault switches reach the service through Faults__File and are reloaded live; Set/ClearFaultsAsync return
        // once the service reports the change, so the very next request meets it. The injected 500 is proxied as
        // is (a 502 would mean the service is down, not the switch).
        await _platform.SetFaultsAsync("taskservice", errorRate: 1, pathPrefix: "/api/tasks");
        Assert.Equal(HttpStatusCode.InternalServerError, await StatusAsync(gateway + "/api/tasks"));
        await _platform.ClearFaultsAsync("taskservice");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gateway + "/api/tasks"));

        // The gateway's aggregated view reaches every service through services__*__http__0.
        using (var request = new HttpRequestMessage(HttpMethod.Get, gateway + "/health/platform"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _platform.Tokens.Mint("admin"));
            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            using var view = System.Text.Json.JsonDocument.Parse(body);
            Assert.Equal("Healthy", view.RootElement.GetProperty("status").GetString());
            Assert.Equal(
                ["importservice", "realtimeworker", "taskservice"],
                view.RootElement.GetProperty("services").EnumerateObject().Select(s => s.Name).Order());
        }

        // Prometheus scrapes the services' /metrics and the blackbox probes of /alive and /health succeed.
        await WaitForPrometheusAsync("count(up{job=~\"apigateway|taskservice|importservice|realtimeworker\"} == 1)", "4");
        await WaitForPrometheusAsync("count(probe_success{job=\"blackbox\"} == 1)", "8");
    }

    private async Task<HttpStatusCode> StatusAsync(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _platform!.Tokens.Mint("operator", "WH1"));
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    private async Task WaitForPrometheusAsync(string promql, string expected)
    {
        using var monitoring = MonitoringClient.For(_platform!);
        string? value = null;
        await Eventually.TrueAsync(
            async () => (value = await monitoring.ScalarAsync(promql)) == expected,
            TimeSpan.FromSeconds(30),
            () => $"{promql} = {value ?? "no data"}, expected {expected}");
    }
}
