using System.Text.RegularExpressions;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Prometheus;

/// <summary>The promtool unit tests cover every alert (firing and not firing) and every recording rule.</summary>
public class RuleTestCoverageTests
{
    public static TheoryData<string, string> AlertVariants
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (name, severity) in Rules.Alerts.Select(a => (a.Alert!, a.Severity)).Distinct())
            {
                data.Add(name, severity);
            }

            return data;
        }
    }

    public static TheoryData<string> AlertNames => new(Rules.AlertNames);

    public static TheoryData<string> RecordNames => new(Rules.Records.Select(r => r.Record!));

    [Theory]
    [MemberData(nameof(AlertVariants))]
    public void Every_alert_and_severity_has_a_firing_case_with_exact_labels_and_annotations(string alertName, string severity)
    {
        var firing = RuleTests.AlertTests
            .Where(t => t.Alertname == alertName)
            .SelectMany(t => t.ExpAlerts ?? [])
            .Where(e => e.ExpLabels?.GetValueOrDefault("severity") == severity)
            .ToList();

        Assert.True(firing.Count > 0, $"no promtool test case where {alertName} fires with severity {severity}");
        Assert.All(firing, e =>
        {
            Assert.Equal(Rules.RunbookBaseUrl + alertName + ".md", e.ExpAnnotations?.GetValueOrDefault("runbook_url"));
            Assert.False(string.IsNullOrEmpty(e.ExpAnnotations?.GetValueOrDefault("summary")));
            Assert.False(string.IsNullOrEmpty(e.ExpAnnotations?.GetValueOrDefault("description")));
            if (alertName != "Watchdog")
            {
                Assert.True(e.ExpLabels!.ContainsKey("service"), $"{alertName} fires without a service label");
            }
        });
    }

    [Theory]
    [MemberData(nameof(AlertNames))]
    public void Every_alert_has_a_case_where_it_does_not_fire(string alertName)
    {
        if (alertName == "Watchdog")
        {
            // vector(1) always fires: that is its purpose. Its firing case is checked above.
            Assert.Equal("vector(1)", Rules.Alerts.Single(a => a.Alert == "Watchdog").Expr.Trim());
            return;
        }

        Assert.Contains(RuleTests.AlertTests, t => t.Alertname == alertName && (t.ExpAlerts is null || t.ExpAlerts.Count == 0));
    }

    [Theory]
    [MemberData(nameof(RecordNames))]
    public void Every_recording_rule_has_an_expression_test(string record) =>
        Assert.Contains(RuleTests.ExprTests, t => Regex.IsMatch(t.Expr, $@"(?<![\w:]){Regex.Escape(record)}(?![\w:])"));

    [Fact]
    public void Every_rule_file_is_loaded_by_some_unit_test_file()
    {
        var loaded = RuleTests.All.SelectMany(f => f.Content.RuleFiles).Select(Path.GetFileName).ToHashSet();
        var notLoaded = RepoPaths.RuleFiles.Select(Path.GetFileName).Where(f => !loaded.Contains(f)).ToList();
        Assert.True(notLoaded.Count == 0, "rule files no unit test loads: " + string.Join(", ", notLoaded));
    }
}
