using Warehouse.Testing;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AppHost.Tests;

/// <summary>
/// Starts everything (Docker and nuget.org required) and checks that every service and UI answers.
/// Leave them out with <c>--filter Category!=RequiresDocker</c>.
/// </summary>
[Trait("Category", "RequiresDocker")]
public sealed class SmokeTests(RunningPlatform platform) : IClassFixture<RunningPlatform>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [Theory]
    [MemberData(nameof(AppModelTests.ServiceNames), MemberType = typeof(AppModelTests))]
    public async Task Service_answers_health_and_alive(string service)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(service, timeout.Token);

        using var client = platform.App.CreateHttpClient(service, ServiceNames.ManagementEndpoint(service));
        foreach (var path in new[] { "/health", "/alive" })
        {
            using var response = await client.GetAsync(path, timeout.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("grafana", "http", "/api/health")]
    [InlineData("otel-collector", "health", "/")]
    [InlineData("node-exporter", "http", "/metrics")]
    [InlineData("postgres-exporter", "http", "/metrics")]
    [InlineData("redis-exporter", "http", "/metrics")]
    [InlineData("blackbox-exporter", "http", "/metrics")]
    public async Task Monitoring_component_answers(string resource, string endpoint, string path)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);

        using var client = platform.App.CreateHttpClient(resource, endpoint);
        await EventuallyAsync(async () =>
        {
            using var response = await client.GetAsync(path, timeout.Token);
            return response.StatusCode == HttpStatusCode.OK;
        }, timeout.Token);
    }

    [Theory]
    [InlineData("prometheus-a")]
    [InlineData("prometheus-b")]
    [InlineData("alertmanager-a")]
    [InlineData("alertmanager-c")]
    public async Task Prometheus_and_Alertmanager_require_the_monitoring_password(string resource)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
        using var client = platform.App.CreateHttpClient(resource, "http");

        using (var anonymous = await client.GetAsync("/-/ready", timeout.Token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        client.DefaultRequestHeaders.Authorization = platform.MonitoringAuthorization;
        await EventuallyAsync(async () =>
        {
            using var response = await client.GetAsync("/-/ready", timeout.Token);
            return response.StatusCode == HttpStatusCode.OK;
        }, timeout.Token);
    }

    [Fact]
    public async Task Grafana_requires_the_admin_password_and_reaches_Prometheus()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await platform.App.ResourceNotifications.WaitForResourceHealthyAsync("grafana", timeout.Token);
        using var client = platform.App.CreateHttpClient("grafana", "http");

        using (var anonymous = await client.GetAsync("/api/search", timeout.Token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{platform.GrafanaAdminPassword}")));

        // The provisioned dashboards are there, and the provisioned datasource (uid "prometheus") answers.
        using var search = JsonDocument.Parse(await client.GetStringAsync("/api/search?type=dash-db", timeout.Token));
        Assert.NotEqual(0, search.RootElement.GetArrayLength());
        await EventuallyAsync(async () =>
        {
            using var health = await client.GetAsync("/api/datasources/uid/prometheus/health", timeout.Token);
            return health.StatusCode == HttpStatusCode.OK;
        }, timeout.Token);
    }

    [Fact]
    public async Task Service_metrics_reach_Prometheus_through_the_collector()
    {
        // target_info is what Prometheus's OTLP receiver writes per service.name: it only exists if
        // OTEL_EXPORTER_OTLP_ENDPOINT really points at the Collector and the Collector reaches Prometheus.
        var jobs = await EventuallyQueryAsync("count by (job) (target_info)",
            result => AppModel.Services.All(service => result.Any(sample => sample.Labels.GetValueOrDefault("job") == service)));

        Assert.All(AppModel.Services, service => Assert.Contains(jobs, sample => sample.Labels.GetValueOrDefault("job") == service));
    }

    [Theory]
    [InlineData("up{job=\"node\"}")]
    [InlineData("up{job=\"alertmanager\"}")]
    [InlineData("pg_up")]
    [InlineData("redis_up")]
    public async Task Prometheus_scrapes_the_exporters(string query)
    {
        // pg_up and redis_up are 1 only when the exporters log in with the generated passwords.
        var result = await EventuallyQueryAsync(query, samples => samples.Count > 0 && samples.All(sample => sample.Value == "1"));

        Assert.All(result, sample => Assert.Equal("1", sample.Value));
    }

    private async Task<List<Sample>> EventuallyQueryAsync(string query, Func<List<Sample>, bool> done)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await platform.App.ResourceNotifications.WaitForResourceHealthyAsync("prometheus-a", timeout.Token);
        using var client = platform.App.CreateHttpClient("prometheus-a", "http");
        client.DefaultRequestHeaders.Authorization = platform.MonitoringAuthorization;

        List<Sample> samples = [];
        await EventuallyAsync(async () =>
        {
            var json = await client.GetStringAsync($"/api/v1/query?query={Uri.EscapeDataString(query)}", timeout.Token);
            samples = Parse(json);
            return done(samples);
        }, timeout.Token);

        return samples;
    }

    private static List<Sample> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(item => new Sample(
                item.GetProperty("metric").EnumerateObject().ToDictionary(label => label.Name, label => label.Value.GetString() ?? ""),
                item.GetProperty("value")[1].GetString() ?? ""))
            .ToList();
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException) when (!cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }

    private sealed record Sample(Dictionary<string, string> Labels, string Value);
}
