using System.Text.RegularExpressions;
using Monitoring.Tests.Infrastructure;
using Warehouse.Testing;

namespace Monitoring.Tests.Grafana;

/// <summary>Static checks of the dashboards (that every panel returns data is proven end to end elsewhere).</summary>
public partial class DashboardTests
{
    public static TheoryData<string> DashboardPaths => Dashboards.Paths;

    [Fact]
    public void The_required_dashboards_exist_one_folder_per_purpose()
    {
        var expected = new[]
        {
            "Platform/overview.json", "Services/service.json", "Services/realtime.json", "Services/imports.json",
            "Infrastructure/postgres.json", "Infrastructure/redis.json", "Infrastructure/host.json", "SLO/slo.json",
        };
        Assert.Equal(expected.Order(), Dashboards.All.Select(d => d.RelativePath.Replace('\\', '/')).Order());
    }

    [Fact]
    public void Dashboard_uids_are_unique()
    {
        var uids = Dashboards.All.Select(d => (string?)d.Json["uid"]).ToList();
        Assert.All(uids, u => Assert.False(string.IsNullOrEmpty(u)));
        Assert.Equal(uids.Count, uids.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(DashboardPaths))]
    public void Dashboard_is_a_recent_schema_with_unique_panel_ids(string path)
    {
        var dashboard = Dashboards.Get(path);
        Assert.InRange((int)dashboard.Json["schemaVersion"]!, 36, 41);
        Assert.False(string.IsNullOrEmpty((string?)dashboard.Json["title"]));
        var ids = dashboard.Panels.Select(p => (int)p["id"]!).ToList();
        Assert.NotEmpty(ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(DashboardPaths))]
    public void Every_panel_and_target_uses_the_provisioned_datasource_uid(string path)
    {
        var uid = ProvisioningTests.DatasourceUid;
        var dashboard = Dashboards.Get(path);
        Assert.All(dashboard.Panels, p => Assert.Equal(uid, (string?)p["datasource"]?["uid"]));
        Assert.All(dashboard.Targets, t => Assert.Equal(uid, (string?)t["datasource"]?["uid"]));
        Assert.All(dashboard.Panels, p => Assert.NotEmpty(p["targets"]!.AsArray()));
    }

    [Theory]
    [MemberData(nameof(DashboardPaths))]
    public void Every_rate_and_increase_uses_rate_interval(string path)
    {
        foreach (var expr in Dashboards.Get(path).Expressions)
        {
            var calls = RateCall().Matches(expr).Count;
            var ranges = RateRange().Matches(expr).Select(m => m.Groups[1].Value).ToList();
            Assert.True(calls == ranges.Count, $"could not find the range of every rate/increase in: {expr}");
            Assert.All(ranges, r => Assert.True(r == "$__rate_interval", $"[{r}] instead of [$__rate_interval] in: {expr}"));
        }
    }

    [Theory]
    [MemberData(nameof(DashboardPaths))]
    public void Dashboard_has_job_and_instance_variables_and_queries_use_them(string path)
    {
        var dashboard = Dashboards.Get(path);
        foreach (var name in new[] { "job", "instance" })
        {
            var variable = dashboard.Variable(name);
            Assert.NotNull(variable);
            Assert.Equal("query", (string?)variable["type"]);
            Assert.Equal(ProvisioningTests.DatasourceUid, (string?)variable["datasource"]?["uid"]);
        }

        Assert.Contains("$job", (string?)dashboard.Variable("instance")!["definition"]);
        var unfiltered = dashboard.Expressions.Where(e => !e.Contains("$job") && !e.StartsWith("ALERTS{", StringComparison.Ordinal));
        Assert.Empty(unfiltered);
    }

    [Fact]
    public void Overview_shows_health_traffic_latency_errors_realtime_resources_and_alerts()
    {
        var all = string.Join("\n", Dashboards.Get("Platform/overview.json").Expressions);
        foreach (var needle in new[]
        {
            "probe_success", "http_server_request_duration_seconds_count", "histogram_quantile(0.50", "histogram_quantile(0.95",
            "histogram_quantile(0.99", "http_response_status_code=~\"5..\"", "signalr_server_active_connections",
            "warehouse_realtime_messages_total", "signalr_server_connection_duration_seconds_count",
            "dotnet_process_cpu_time_seconds_total", "dotnet_process_memory_working_set_bytes", "ALERTS{alertstate=\"firing\"}",
        })
        {
            Assert.Contains(needle, all);
        }
    }

    [Fact]
    public void Service_dashboard_has_routes_status_codes_and_a_latency_heatmap()
    {
        var dashboard = Dashboards.Get("Services/service.json");
        var heatmap = Assert.Single(dashboard.Panels, p => (string?)p["type"] == "heatmap");
        Assert.Equal("heatmap", (string?)heatmap["targets"]![0]!["format"]);
        Assert.Contains(dashboard.Expressions, e => e.Contains("sum by (http_route)"));
        Assert.Contains(dashboard.Expressions, e => e.Contains("sum by (http_response_status_code)"));
    }

    [Fact]
    public async Task Committed_dashboards_match_the_generator()
    {
        using var dir = new TempDir("dashboards");
        var result = await Tool.RunAsync(
            "python3", [Path.Combine(RepoPaths.GrafanaDir, "generate_dashboards.py")],
            environment: new Dictionary<string, string> { ["GRAFANA_DASHBOARDS_OUT"] = dir.Path });
        Assert.True(result.ExitCode == 0, result.ToString());

        foreach (var dashboard in Dashboards.All)
        {
            var generated = File.ReadAllText(Path.Combine(dir.Path, dashboard.RelativePath));
            Assert.True(
                generated == File.ReadAllText(Path.Combine(Dashboards.Root, dashboard.RelativePath)),
                $"{dashboard} differs from generate_dashboards.py's output: run it and commit");
        }
    }

    [GeneratedRegex(@"\b(?:rate|irate|increase)\s*\(")]
    private static partial Regex RateCall();

    [GeneratedRegex(@"\b(?:rate|irate|increase)\s*\((?:[^()\[\]]|\([^()]*\))*\[([^\]]+)\]")]
    private static partial Regex RateRange();
}
