using System.Text.RegularExpressions;
using Monitoring.Tests.Infrastructure;
using Warehouse.Testing;

namespace Monitoring.Tests.Alertmanager;

/// <summary>amtool checks of alertmanager.yml: syntax, the routing table, templates, no secrets.</summary>
public class AlertmanagerConfigTests
{
    private static readonly string ConfigPath = Path.Combine(RepoPaths.AlertmanagerDir, "alertmanager.yml");

    public sealed record RouteCase(Dictionary<string, string> Labels, List<string> Receivers)
    {
        public RouteCase()
            : this([], [])
        {
        }

        public override string ToString() => string.Join(",", Labels.Select(kv => $"{kv.Key}={kv.Value}"));
    }

    public static IReadOnlyList<RouteCase> RoutingTable { get; } =
        Yaml.Load<List<RouteCase>>(Path.Combine(RepoPaths.AlertmanagerDir, "tests", "routes.yml"));

    public static TheoryData<int> RoutingRows => new(Enumerable.Range(0, RoutingTable.Count));

    [Fact]
    public async Task Config_passes_amtool_check_config()
    {
        var result = await Tool.RunAsync("amtool", ["check-config", ConfigPath]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("SUCCESS", result.Output);
        Assert.Contains("9 inhibit rules", result.Output);
    }

    [Theory]
    [MemberData(nameof(RoutingRows))]
    public async Task Label_set_reaches_exactly_its_receivers(int row)
    {
        var routeCase = RoutingTable[row];
        var expected = string.Join(",", routeCase.Receivers);

        var result = await Tool.RunAsync(
            "amtool",
            [
                "config", "routes", "test", $"--config.file={ConfigPath}", $"--verify.receivers={expected}",
                .. routeCase.Labels.Select(kv => $"{kv.Key}={kv.Value}"),
            ]);

        Assert.True(result.ExitCode == 0, $"{routeCase}\n{result}");
        Assert.Equal(expected, result.StdOut.Split('\n')[0].Trim());
    }

    [Fact]
    public void Routing_table_exercises_every_receiver_and_route()
    {
        var config = Yaml.LoadMap(ConfigPath);
        var declared = config.List("receivers").Select(r => r.Str("name")!).ToHashSet();
        var routed = config.Map("route").List("routes").Select(r => r.Str("receiver")!).Append(config.Map("route").Str("receiver")!);
        var reached = RoutingTable.SelectMany(r => r.Receivers).ToHashSet();

        Assert.Empty(declared.Except(reached));
        Assert.Empty(routed.Except(reached));
        Assert.Contains(RoutingTable, r => r.Labels.GetValueOrDefault("severity") == "critical");
        Assert.Contains(RoutingTable, r => r.Labels.GetValueOrDefault("severity") == "warning");
    }

    [Fact]
    public void Alerts_are_grouped_by_alertname_and_service_and_critical_waits_only_10s()
    {
        var route = Yaml.LoadMap(ConfigPath).Map("route");
        Assert.Equal(["alertname", "service"], route.Strings("group_by"));
        var critical = route.List("routes").Where(r => r.Strings("matchers").Contains("severity=\"critical\"")).ToList();
        Assert.Equal(3, critical.Count);
        Assert.All(critical, r => Assert.Equal("10s", r.Str("group_wait")));
    }

    [Fact]
    public void No_secret_is_in_the_repository_config()
    {
        var text = File.ReadAllText(ConfigPath);
        // Only the *_file forms may appear for secret-bearing fields.
        Assert.DoesNotMatch(@"(?m)^\s*(api_url|routing_key|service_key|smtp_auth_password|auth_password|credentials|password):", text);
        Assert.DoesNotMatch(@"hooks\.slack\.com|events\.pagerduty\.com", text);
        foreach (var secretField in new[] { "routing_key_file", "api_url_file", "smtp_auth_password_file", "credentials_file" })
        {
            Assert.Contains(secretField + ": 'secrets/", text);
        }
    }

    [Fact]
    public async Task Templates_render_title_summary_description_and_runbook_link()
    {
        using var dir = new TempDir("amtool-template");
        var data = dir.WriteFile("data.json", """
            {"receiver":"slack-critical","status":"firing",
             "alerts":[{"status":"firing","labels":{"alertname":"ServiceDown","service":"taskservice","severity":"critical"},
                        "annotations":{"summary":"Service taskservice is down","description":"The liveness probe failed.",
                                       "runbook_url":"https://github.com/warehouse-platform/platform/blob/main/docs/runbooks/ServiceDown.md"},
                        "startsAt":"2026-11-22T02:00:00Z"}],
             "groupLabels":{"alertname":"ServiceDown","service":"taskservice"},
             "commonLabels":{"alertname":"ServiceDown","service":"taskservice","severity":"critical"},
             "commonAnnotations":{"summary":"Service taskservice is down"},"externalURL":"http://alertmanager"}
            """);

        var result = await Tool.RunAsync(
            "amtool",
            [
                "template", "render", $"--template.glob={Path.Combine(RepoPaths.AlertmanagerDir, "templates", "*.tmpl")}",
                $"--template.data={data}",
                "--template.text={{ template \"warehouse.title\" . }}|{{ template \"warehouse.text\" . }}|{{ template \"warehouse.email.html\" . }}",
            ]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var parts = result.StdOut.Split('|');
        Assert.Equal("[FIRING:1] ServiceDown on taskservice (critical)", parts[0]);
        Assert.Contains("FIRING: Service taskservice is down\nThe liveness probe failed.\nRunbook: https://github.com/warehouse-platform/platform/blob/main/docs/runbooks/ServiceDown.md", parts[1]);
        Assert.Matches(new Regex("<a href=\"https://github.com/[^\"]+/ServiceDown.md\">Runbook</a>"), parts[2]);
    }
}
