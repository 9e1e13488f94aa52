using Warehouse.Testing;
using System.Text.Json;

namespace AppHost.Tests;

/// <summary>The local flavour starts every resource healthy on a machine without a container runtime.</summary>
public sealed class LocalSmokeTests(LocalPlatform platform) : IClassFixture<LocalPlatform>
{
    [Fact]
    public void Local_flavour_runs_no_container()
    {
        Assert.Empty(platform.Host.Resources.OfType<ContainerResource>());
    }

    [Theory]
    [MemberData(nameof(AppModelTests.ServiceNames), MemberType = typeof(AppModelTests))]
    public async Task Service_answers_health_and_alive(string service)
    {
        using var client = platform.App.CreateHttpClient(service, ServiceNames.ManagementEndpoint(service));
        foreach (var path in new[] { "/health", "/alive" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("prometheus")]
    [InlineData("alertmanager")]
    public async Task Prometheus_and_Alertmanager_answer_only_with_the_monitoring_password(string resource)
    {
        using var client = platform.App.CreateHttpClient(resource, "http");
        using (var anonymous = await client.GetAsync("/-/ready"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/-/ready") { Headers = { Authorization = platform.MonitoringAuthorization } };
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Prometheus_scrapes_every_job_at_the_endpoints_Aspire_allocated()
    {
        string[] expected = ["alertmanager", "apigateway", "blackbox", "importservice", "node", "postgres", "prometheus", "realtimeworker", "redis", "taskservice"];
        using var client = platform.App.CreateHttpClient("prometheus", "http");
        var seen = "nothing";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/targets?state=active") { Headers = { Authorization = platform.MonitoringAuthorization } };
            using var response = await client.SendAsync(request, timeout.Token);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
            var targets = body.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
                .Select(t => (Job: t.GetProperty("labels").GetProperty("job").GetString()!, Health: t.GetProperty("health").GetString()))
                .ToList();
            seen = string.Join(", ", targets.Select(t => $"{t.Job}={t.Health}"));
            var up = targets.Where(t => t.Health == "up").Select(t => t.Job).Distinct().Order().ToArray();
            if (up.SequenceEqual(expected) && targets.All(t => t.Health == "up"))
            {
                return;
            }

            Assert.False(timeout.IsCancellationRequested, $"targets not all up within 90 s: {seen}");
            await Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None);
        }
    }
}
