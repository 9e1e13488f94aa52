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
    [InlineData("prometheus-a")]
    [InlineData("prometheus-b")]
    [InlineData("alertmanager-a")]
    [InlineData("alertmanager-b")]
    [InlineData("alertmanager-c")]
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

    /// <summary>Each replica scrapes every job; the monitoring stack's own jobs have one target per instance.</summary>
    [Theory]
    [InlineData("prometheus-a")]
    [InlineData("prometheus-b")]
    public async Task Prometheus_scrapes_every_job_at_the_endpoints_Aspire_allocated(string prometheus)
    {
        string[] expected = ["alertmanager", "apigateway", "blackbox", "importservice", "node", "postgres", "prometheus", "realtimeworker", "redis", "taskservice"];
        using var client = platform.App.CreateHttpClient(prometheus, "http");
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
            if (up.SequenceEqual(expected) && targets.All(t => t.Health == "up")
                && targets.Count(t => t.Job == "prometheus") == 2 && targets.Count(t => t.Job == "alertmanager") == 3)
            {
                return;
            }

            Assert.False(timeout.IsCancellationRequested, $"targets not all up within 90 s: {seen}");
            await Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None);
        }
    }

    /// <summary>The three Alertmanagers gossip as one cluster, and each Prometheus has discovered all three.</summary>
    [Fact]
    public async Task Alertmanagers_form_one_cluster_that_every_Prometheus_sends_to()
    {
        var seen = "nothing";
        await Eventually.TrueAsync(async () =>
        {
            foreach (var alertmanager in new[] { "alertmanager-a", "alertmanager-b", "alertmanager-c" })
            {
                using var status = await GetJsonAsync(alertmanager, "/api/v2/status");
                var cluster = status.RootElement.GetProperty("cluster");
                seen = $"{alertmanager}: {cluster}";
                if (cluster.GetProperty("status").GetString() != "ready" || cluster.GetProperty("peers").GetArrayLength() != 3)
                {
                    return false;
                }
            }

            foreach (var prometheus in new[] { "prometheus-a", "prometheus-b" })
            {
                using var discovered = await GetJsonAsync(prometheus, "/api/v1/alertmanagers");
                seen = $"{prometheus}: {discovered.RootElement}";
                if (discovered.RootElement.GetProperty("data").GetProperty("activeAlertmanagers").GetArrayLength() != 3)
                {
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromSeconds(90), () => $"three clustered Alertmanagers, each discovered by both Prometheus; last seen {seen}");
    }

    private async Task<JsonDocument> GetJsonAsync(string resource, string path)
    {
        using var client = platform.App.CreateHttpClient(resource, "http");
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = platform.MonitoringAuthorization } };
        using var response = await client.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
