using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Warehouse.ApiGateway.Proxy;
using Warehouse.Contracts.Security;
using Warehouse.ServiceDefaults.Http;
using Warehouse.ServiceDefaults.Security;
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
        var forwarded = Assert.Single(taskService.Requests);
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
}
