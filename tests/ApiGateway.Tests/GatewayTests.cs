using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Warehouse.ApiGateway.Apis;
using Warehouse.ApiGateway.Proxy;
using Warehouse.Contracts.Security;
using Warehouse.ServiceDefaults.Http;
using Warehouse.Security;
using Warehouse.Testing;

namespace Warehouse.ApiGateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class GatewayTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Requests_without_a_valid_token_are_401_with_problem_details()
    {
        var anonymous = fixture.Factory.CreateClient();
        var response = await anonymous.GetAsync("/api/tasks");
        await response.ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.WithToken("a.b.c").GetAsync("/api/tasks")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Factory.CreateClient().GetAsync("/hubs/tasks?access_token=forged")).StatusCode);
    }

    [Theory]
    [InlineData(Roles.Operator, "/api/imports")]
    [InlineData(Roles.Planner, "/api/scan")]
    public async Task Roles_are_enforced_before_proxying(string role, string path) =>
        await (await fixture.Client(role).PostAsync(path, new StringContent("{}"))).ExpectAsync(HttpStatusCode.Forbidden);

    [Fact]
    public async Task An_allowed_request_is_proxied_with_its_path_token_and_body_and_the_answer_comes_back()
    {
        await using var taskService = new HttpRecorder();
        taskService.Respond("/api/scan", 201, """{"accepted":true}""");
        using var gateway = fixture.Factory.WithWebHostBuilder(host => host.UseSetting("services:taskservice:http:0", taskService.BaseUrl));
        var token = TokenIssuer.Create(fixture.Jwt, "op-proxy", Roles.Operator);

        using var response = await gateway.CreateClient().WithToken(token)
            .PostAsync("/api/scan", new StringContent("""{"barcode":"X"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("""{"accepted":true}""", await response.Content.ReadAsStringAsync());
        var forwarded = Assert.Single(Proxied(taskService));
        Assert.Equal(("POST", "/api/scan", $"Bearer {token}", """{"barcode":"X"}"""), (forwarded.Method, forwarded.Path, forwarded.Authorization, forwarded.Body));
    }

    [Theory]
    [InlineData("/api/tasks", "taskservice")]
    [InlineData("/api/imports/0197e6a0-0000-7000-8000-000000000000", "importservice")]
    public async Task A_request_to_a_dead_service_is_a_502_problem_naming_it(string path, string service)
    {
        using var response = await fixture.Client(Roles.Admin).GetAsync(path);

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ExpectAsync(HttpStatusCode.BadGateway);
        Assert.Equal((service, $"{service} is unavailable"), (problem.GetProperty("dependency").GetString(), problem.GetProperty("title").GetString()));
        Assert.Equal(DependencyOutage.RetryAfter, response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task A_burst_over_the_per_user_limit_gets_429_with_Retry_After_and_other_users_are_unaffected()
    {
        var greedy = fixture.Client(Roles.Operator);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => greedy.GetAsync("/api/tasks")));
        var refills = 2 * (int)Math.Ceiling(clock.Elapsed.TotalSeconds);

        // Burst 5, then 2 per second: whatever the machine's speed, at most 5 + refills get through.
        var rejected = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.InRange(responses.Length - rejected.Count, 1, 5 + refills);
        Assert.NotEmpty(rejected);
        Assert.All(rejected, r => Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));
        await rejected[0].ExpectAsync(HttpStatusCode.TooManyRequests);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await fixture.Client(Roles.Operator).GetAsync("/api/tasks")).StatusCode);
    }

    /// <summary>
    /// Callers without a token share a bucket per client address (burst 5, then 2 per second): past it they get 429
    /// before authentication could answer 401, while another address and a signed-in user from the same address
    /// still get through (to a 401, and to the dead service's 502).
    /// </summary>
    [Fact]
    public async Task Anonymous_callers_are_limited_per_client_address()
    {
        using var gateway = fixture.Factory.WithWebHostBuilder(host => host.ConfigureServices(services => services.AddSingleton<IStartupFilter, TestClientAddress>()));
        HttpClient From(string address)
        {
            var client = gateway.CreateClient();
            client.DefaultRequestHeaders.Add(TestClientAddress.Header, address);
            return client;
        }

        var flooder = From("192.0.2.1");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => flooder.GetAsync("/api/tasks")));
        var refills = 2 * (int)Math.Ceiling(clock.Elapsed.TotalSeconds);

        var statuses = responses.GroupBy(r => r.StatusCode).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses.Keys.Order());
        Assert.InRange(statuses[HttpStatusCode.Unauthorized], 5, 5 + refills);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await flooder.GetAsync("/api/tasks")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await From("192.0.2.2").GetAsync("/api/tasks")).StatusCode);
        var user = From("192.0.2.1").WithToken(TokenIssuer.Create(fixture.Jwt, "signed-in", Roles.Operator));
        Assert.Equal(HttpStatusCode.BadGateway, (await user.GetAsync("/api/tasks")).StatusCode);
    }

    /// <summary>The hub's path counts against the same per-user limit as the API: a reconnect storm cannot flood the worker.</summary>
    [Fact]
    public async Task Hub_requests_count_against_the_per_user_limit()
    {
        var user = fixture.Client(Roles.Operator);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => user.PostAsync("/hubs/tasks/negotiate?negotiateVersion=1", null)));
        var refills = 2 * (int)Math.Ceiling(clock.Elapsed.TotalSeconds);

        // Those let through reach the (dead) realtime worker: 502.
        var statuses = responses.GroupBy(r => r.StatusCode).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway], statuses.Keys.Order());
        Assert.InRange(statuses[HttpStatusCode.BadGateway], 5, 5 + refills);
        Assert.True(responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests).Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_body_over_the_route_limit_is_413()
    {
        var content = new ByteArrayContent(new byte[2048]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var problem = await (await fixture.Client(Roles.Operator).PostAsync("/api/scan", content)).ExpectAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("The body is 2048 bytes; the limit for this route is 1024 bytes.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_platform_health_view_is_for_admins_and_reports_each_service()
    {
        await (await fixture.Client(Roles.Operator).GetAsync("/health/platform")).ExpectAsync(HttpStatusCode.Forbidden);

        var view = await (await fixture.Client(Roles.Admin).GetAsync("/health/platform")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("Unhealthy", view.GetProperty("status").GetString());
        Assert.Equal(ProxyRoutes.Services.Order(), view.GetProperty("services").EnumerateObject().Select(p => p.Name).Order());
    }

    /// <summary>
    /// The view is as bad as the worst service, and reports each service's own status and checks, asking each service
    /// once: an unhealthy service's 503 is its report, not a failure to retry.
    /// </summary>
    [Theory]
    [InlineData("Healthy", "Healthy", "Healthy", "Healthy")]
    [InlineData("Healthy", "Degraded", "Healthy", "Degraded")]
    [InlineData("Degraded", "Healthy", "Degraded", "Degraded")]
    [InlineData("Healthy", "Unhealthy", "Degraded", "Unhealthy")]
    public async Task The_platform_health_view_is_the_worst_of_the_services(string task, string import, string realtime, string expected)
    {
        var statuses = new Dictionary<string, string> { ["taskservice"] = task, ["importservice"] = import, ["realtimeworker"] = realtime };
        var services = statuses.ToDictionary(s => s.Key, _ => new HttpRecorder());
        try
        {
            foreach (var (name, status) in statuses)
            {
                // As the services answer: the report, with 200 when healthy or degraded and 503 when unhealthy.
                services[name].Respond("/health", status == "Unhealthy" ? 503 : 200,
                    System.Text.Json.JsonSerializer.Serialize(new { status, checks = new { redis = new { status } } }));
            }

            var view = await PlatformHealthAsync(services.ToDictionary(s => s.Key, s => s.Value.BaseUrl));

            Assert.Equal(expected, view.GetProperty("status").GetString());
            Assert.Equal(statuses.Select(s => (s.Key, s.Value, s.Value)).OrderBy(s => s.Key), view.GetProperty("services").EnumerateObject()
                .Select(s => (s.Name, s.Value.GetProperty("status").GetString()!, s.Value.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString()!))
                .OrderBy(s => s.Name));
            Assert.All(services.Values, recorder => Assert.Single(Proxied(recorder)));
        }
        finally
        {
            foreach (var recorder in services.Values)
            {
                await recorder.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// A service that accepts the connection and never answers, and one that refuses it, are reported Unhealthy by
    /// name within the probe's time limit: the view answers while the platform is broken, which is when it is needed.
    /// </summary>
    [Fact]
    public async Task The_platform_health_view_answers_within_its_bound_when_services_hang_or_are_down()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        await using var healthy = new HttpRecorder();
        healthy.Respond("/health", 200, """{"status":"Healthy","checks":{}}""");
        using var refused = FreePorts.Reserve();
        var clock = Stopwatch.StartNew();

        var view = await PlatformHealthAsync(new Dictionary<string, string>
        {
            ["taskservice"] = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}",
            ["importservice"] = $"http://127.0.0.1:{refused.Port}",
            ["realtimeworker"] = healthy.BaseUrl,
        });

        // The probes run side by side, each bounded by PlatformHealthApi.ProbeTimeout (2 s); the rest is scheduling slack.
        Assert.InRange(clock.Elapsed, PlatformHealthApi.ProbeTimeout, PlatformHealthApi.ProbeTimeout + TimeSpan.FromSeconds(3));
        Assert.Equal("Unhealthy", view.GetProperty("status").GetString());
        var services = view.GetProperty("services");
        Assert.Equal(
            ("Unhealthy", "taskservice did not answer within 2 s."),
            (services.GetProperty("taskservice").GetProperty("status").GetString(),
                services.GetProperty("taskservice").GetProperty("checks").GetProperty("reachable").GetProperty("description").GetString()));
        Assert.Equal("Unhealthy", services.GetProperty("importservice").GetProperty("status").GetString());
        Assert.Equal("Healthy", services.GetProperty("realtimeworker").GetProperty("status").GetString());
    }

    /// <summary>The admin's view from a gateway whose services are at <paramref name="addresses"/>.</summary>
    private async Task<System.Text.Json.JsonElement> PlatformHealthAsync(Dictionary<string, string> addresses)
    {
        using var gateway = fixture.Factory.WithWebHostBuilder(host =>
        {
            foreach (var (name, address) in addresses)
            {
                host.UseSetting($"services:{name}:http:0", address);
            }
        });
        return await (await gateway.CreateClient().WithToken(TokenIssuer.Create(fixture.Jwt, "admin-health", Roles.Admin)).GetAsync("/health/platform"))
            .ExpectAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/health")]
    [InlineData("/alive")]
    public void No_route_exposes_a_service_internal_endpoint(string internalPath) =>
        Assert.DoesNotContain(ProxyRoutes.Routes(), r => r.Match.Path!.Contains(internalPath, StringComparison.OrdinalIgnoreCase));

    [Theory]
    [InlineData("/taskservice/metrics")]
    [InlineData("/api/metrics")]
    [InlineData("/services/importservice/health")]
    public async Task Internal_paths_are_not_found_through_the_gateway(string path) =>
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client(Roles.Admin).GetAsync(path)).StatusCode);

    [Fact]
    public async Task Cors_allows_only_the_configured_origins()
    {
        var allowed = await Preflight(GatewayFixture.AllowedOrigin);
        var denied = await Preflight("https://evil.example.test");

        Assert.Equal(GatewayFixture.AllowedOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(denied.Headers.Contains("Access-Control-Allow-Origin"));
        // Refused in so many words, not a 204 that reads like success.
        var problem = await denied.ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Equal("Origin not allowed", problem.GetProperty("title").GetString());

        async Task<HttpResponseMessage> Preflight(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, "/api/tasks");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            return await fixture.Factory.CreateClient().SendAsync(request);
        }
    }

    [Fact]
    public async Task Gateway_metrics_pass_promtool_and_count_rate_limiting()
    {
        await fixture.Client(Roles.Operator).GetAsync("/api/tasks");
        var exposition = await fixture.Factory.CreateClient().GetStringAsync("/metrics");
        var promtool = await Promtool.CheckMetricsAsync(exposition);

        Assert.True(promtool.ExitCode == 0, promtool.ToString());
        Assert.Contains("aspnetcore_rate_limiting_requests_total{", exposition);
        Assert.Contains("http_server_request_duration_seconds_bucket{", exposition);
    }

    [Theory]
    [InlineData("aspnetcore_authentication_authenticate_duration_seconds")]
    [InlineData("aspnetcore_rate_limiting_request_lease_duration_seconds")]
    [InlineData("aspnetcore_rate_limiting_active_request_leases")]
    [InlineData("http_client_active_requests")]
    public async Task Instruments_nothing_reads_are_not_measured_per_request(string series)
    {
        // A proxied request updates the rate limiter's, authentication's and the HTTP client's instruments (the client's
        // even though the upstream refuses the connection): the ones read stay, the others are never enabled.
        await fixture.Client(Roles.Operator).GetAsync("/api/tasks");
        var exposition = await fixture.Factory.CreateClient().GetStringAsync("/metrics");

        Assert.Contains("aspnetcore_rate_limiting_requests_total{", exposition);
        Assert.Contains("http_client_request_duration_seconds_bucket{", exposition);
        Assert.DoesNotContain(series, exposition);
    }

    /// <summary>What reached a backend besides the gateway's own /alive probes of its destinations (ProxyRoutes).</summary>
    private static IEnumerable<RecordedRequest> Proxied(HttpRecorder backend) => backend.Requests.Where(request => request.Path != "/alive");
}
