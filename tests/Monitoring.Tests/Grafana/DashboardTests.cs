using System.Text.RegularExpressions;
using Monitoring.Tests.Infrastructure;
using Warehouse.Testing;

namespace Monitoring.Tests.Grafana;

/// <summary>Static checks of the dashboards (that every panel returns data is proven end to end elsewhere).</summary>
public partial class DashboardTests
{
    /// <summary>Field settings: Grafana reads them from fieldConfig.defaults and ignores them in a panel's options.</summary>
    private static readonly string[] FieldSettings = ["unit", "decimals", "min", "max", "thresholds", "mappings", "noValue"];

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
        // The fixed uid, or ${datasource} when the dashboard's datasource variable defaults to that uid.
        var uid = ProvisioningTests.DatasourceUid;
        var dashboard = Dashboards.Get(path);
        Assert.All(dashboard.Panels, p => Assert.Equal(uid, dashboard.DatasourceUid(p["datasource"])));
        Assert.All(dashboard.Targets, t => Assert.Equal(uid, dashboard.DatasourceUid(t["datasource"])));
        Assert.All(dashboard.Panels, p => Assert.NotEmpty(p["targets"]!.AsArray()));
    }

    [Theory]
    [MemberData(nameof(DashboardPaths))]
    public void Dashboard_has_a_datasource_variable_defaulting_to_the_provisioned_uid_that_every_query_uses(string path)
    {
        var dashboard = Dashboards.Get(path);
        var variable = dashboard.Variable("datasource");
        Assert.NotNull(variable);
        Assert.Equal("datasource", (string?)variable["type"]);
        Assert.Equal("prometheus", (string?)variable["query"]);
        Assert.Equal(ProvisioningTests.DatasourceUid, (string?)variable["current"]?["value"]);
        Assert.Equal("datasource", (string?)dashboard.Variables.First()["name"]); // before the variables that use it

        var users = dashboard.Panels.Concat(dashboard.Targets).Concat(dashboard.Variables.Where(v => (string?)v["type"] == "query"));
        Assert.All(users, u => Assert.Equal("${datasource}", (string?)u["datasource"]?["uid"]));

        // The end-to-end test runs the exprs against Prometheus itself: a datasource variable has no place in them.
        Assert.DoesNotContain(dashboard.Expressions, e => e.Contains("$datasource") || e.Contains("${datasource}"));
    }

    [Theory]
    [MemberData(nameof(DashboardPaths))]
    public void Every_stat_and_gauge_has_explicit_absolute_thresholds(string path)
    {
        // Without them Grafana colours by its default (green, red from 80): "Up = 0" green, any byte count red.
        foreach (var panel in Dashboards.Get(path).Panels.Where(p => (string?)p["type"] is "stat" or "gauge" or "bargauge"))
        {
            var title = $"{path} / {(string?)panel["title"]}";
            var thresholds = panel["fieldConfig"]?["defaults"]?["thresholds"];
            Assert.True((string?)thresholds?["mode"] == "absolute", $"{title}: no absolute fieldConfig.defaults.thresholds");

            var steps = thresholds?["steps"]?.AsArray().Select(s => s!).ToList() ?? [];
            Assert.True(steps.Count > 0 && steps[0]["value"] is null, $"{title}: the steps do not start with a base colour (value null)");
            Assert.All(steps, s => Assert.False(string.IsNullOrEmpty((string?)s["color"]), $"{title}: a step without a colour"));
            var values = steps.Skip(1).Select(s => (double)s["value"]!).ToList();
            Assert.True(values.SequenceEqual(values.Order()), $"{title}: threshold steps out of order");
        }
    }

    [Theory]
    [MemberData(nameof(DashboardPaths))]
    public void Stats_of_an_up_or_down_series_show_words_for_0_and_1(string path)
    {
        var upOrDown = Dashboards.Get(path).Panels.Where(p =>
            (string?)p["type"] == "stat"
            && p["targets"]!.AsArray().All(t => UpOrDownSeries().IsMatch((string?)t!["expr"] ?? "")));
        foreach (var panel in upOrDown)
        {
            var title = $"{path} / {(string?)panel["title"]}";
            var valueMappings = (panel["fieldConfig"]?["defaults"]?["mappings"]?.AsArray() ?? [])
                .Where(m => (string?)m?["type"] == "value")
                .Select(m => m!["options"])
                .ToList();
            var unmapped = new[] { "0", "1" }
                .Where(value => !valueMappings.Any(o => !string.IsNullOrEmpty((string?)o?[value]?["text"])))
                .ToList();
            Assert.True(unmapped.Count == 0, $"{title}: no value mapping (Down/Up) for {string.Join(" and ", unmapped)}");
        }
    }

    [Theory]
    [MemberData(nameof(DashboardPaths))]
    public void Every_panel_has_a_unit_and_its_field_settings_where_grafana_reads_them(string path)
    {
        foreach (var panel in Dashboards.Get(path).Panels)
        {
            var title = $"{path} / {(string?)panel["title"]}";
            Assert.False(string.IsNullOrEmpty((string?)panel["fieldConfig"]?["defaults"]?["unit"]), $"{title}: no fieldConfig.defaults.unit");
            var misplaced = FieldSettings.Where(k => panel["options"]?[k] is not null).ToList();
            Assert.True(misplaced.Count == 0, $"{title}: {string.Join(", ", misplaced)} in options, which Grafana ignores: move to fieldConfig.defaults");
        }
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
            Assert.Equal(ProvisioningTests.DatasourceUid, dashboard.DatasourceUid(variable["datasource"]));
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
    public Task Committed_dashboards_match_the_generator() =>
        GeneratorOutput.AssertCommittedAsync(
            Path.Combine(RepoPaths.GrafanaDir, "generate_dashboards.py"), "GRAFANA_DASHBOARDS_OUT", Dashboards.Root, Dashboards.All.Select(d => d.RelativePath));

    /// <summary>A series that is 0 or 1 for down or up: probe_success, up, an exporter's *_up.</summary>
    [GeneratedRegex(@"\b(?:probe_success|up|\w+_up)\{")]
    private static partial Regex UpOrDownSeries();

    [GeneratedRegex(@"\b(?:rate|irate|increase)\s*\(")]
    private static partial Regex RateCall();

    [GeneratedRegex(@"\b(?:rate|irate|increase)\s*\((?:[^()\[\]]|\([^()]*\))*\[([^\]]+)\]")]
    private static partial Regex RateRange();
}
