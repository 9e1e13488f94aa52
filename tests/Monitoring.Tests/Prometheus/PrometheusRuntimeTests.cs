using System.Net;
using System.Text.Json.Nodes;
using Monitoring.Tests.Infrastructure;
using Warehouse.Testing;

namespace Monitoring.Tests.Prometheus;

/// <summary>The local flavour's config running in a real Prometheus 2.42 (basic auth, file_sd, rules, probes).</summary>
[Collection(MonitoringStackCollection.Name)]
public class PrometheusRuntimeTests(MonitoringStack stack)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    [Theory]
    [InlineData("prometheus")]
    [InlineData("alertmanager")]
    public async Task Prometheus_scrapes_the_monitoring_stack_with_basic_auth(string job)
    {
        var result = await stack.Prometheus.WaitForSeriesAsync($"up{{job=\"{job}\"}} == 1", Wait);

        Assert.Single(result);
    }

    [Fact]
    public async Task Blackbox_job_probes_with_service_probe_and_instance_labels()
    {
        var alive = await stack.Prometheus.WaitForSeriesAsync(
            $"probe_success{{job=\"blackbox\",service=\"{MonitoringStack.ProbedService}\",probe=\"alive\"}} == 1", Wait);
        var health = await stack.Prometheus.WaitForSeriesAsync(
            $"probe_success{{job=\"blackbox\",service=\"{MonitoringStack.ProbedService}\",probe=\"health\"}} == 0", Wait);

        Assert.Equal(stack.Recorder.BaseUrl + "/alive", (string?)alive[0]!["metric"]!["instance"]);
        Assert.Equal(stack.Recorder.BaseUrl + "/health", (string?)health[0]!["metric"]!["instance"]);
    }

    /// <summary>Loaded is not enough: every rule must have been evaluated ("ok", not "unknown") without error.</summary>
    [Fact]
    public async Task Prometheus_loads_and_evaluates_every_rule_of_the_repository()
    {
        var expected = RepoPaths.RuleFiles.Sum(f => Yaml.Load<RuleFile>(f).Groups.Count);
        JsonArray groups = [];
        List<string> notOk = [];
        // The longest group interval is a minute, and a group's first evaluation comes within one interval.
        await Eventually.TrueAsync(async () =>
        {
            groups = JsonNode.Parse(await stack.Prometheus.Client.GetStringAsync("api/v1/rules"))!["data"]!["groups"]!.AsArray();
            notOk = groups.SelectMany(g => g!["rules"]!.AsArray())
                .Where(r => (string?)r!["health"] != "ok")
                .Select(r => $"{r!["name"]}: {r["health"]} {r["lastError"]}")
                .ToList();
            return groups.Count == expected && notOk.Count == 0;
        }, TimeSpan.FromSeconds(90), () => $"{groups.Count} of {expected} groups; rules not ok: {string.Join("; ", notOk)}");

        Assert.Equal(Rules.All.Count, groups.Sum(g => g!["rules"]!.AsArray().Count));
    }

    [Fact]
    public async Task Prometheus_and_Alertmanager_refuse_requests_without_credentials()
    {
        using var anonymous = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        using var prometheus = await anonymous.GetAsync(stack.Prometheus.Url + "/api/v1/query?query=up");
        using var alertmanager = await anonymous.GetAsync($"http://{stack.Alertmanager.Address}/api/v2/alerts");

        Assert.Equal(HttpStatusCode.Unauthorized, prometheus.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, alertmanager.StatusCode);
    }
}
