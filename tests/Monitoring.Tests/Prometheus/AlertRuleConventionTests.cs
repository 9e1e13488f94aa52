using System.Text.RegularExpressions;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Prometheus;

/// <summary>Every alert follows the monitoring-mixin conventions and has a runbook.</summary>
public class AlertRuleConventionTests
{
    /// <summary>The alerts issues 3, 11, 22 and 24 require, at least (upstream mixin names where one exists).</summary>
    public static readonly string[] RequiredAlerts =
    [
        "ServiceDown", "ServiceInstanceDown", "ServiceUnhealthy", "HighErrorRate", "HighLatency", "HighScanLatency", "WebSocketDisconnectSpike",
        "ImportJobsFailing", "RealtimeBroadcastFailures", "ServiceHighMemory", "PostgresDown", "PostgresTooManyConnections",
        "RedisDown", "RedisMemoryHigh", "RedisRejectedConnections", "NodeCPUHighUsage", "NodeMemoryHighUtilization",
        "NodeFilesystemAlmostOutOfSpace", "NodeFilesystemSpaceFillingUp", "NodeFilesystemAlmostOutOfFiles",
        "NodeFilesystemFilesFillingUp", "NodeClockSkewDetected", "NodeClockNotSynchronising", "NodeFileDescriptorLimit",
        "ApiAvailabilityBudgetFastBurn", "ApiAvailabilityBudgetSlowBurn", "ApiScanLatencyBudgetFastBurn", "ApiScanLatencyBudgetSlowBurn", "Watchdog", "ExporterDown",
        "PrometheusBadConfig", "PrometheusRuleFailures", "PrometheusMissingRuleEvaluations", "PrometheusNotConnectedToAlertmanagers",
        "PrometheusErrorSendingAlertsToAnyAlertmanager", "PrometheusNotIngestingSamples", "PrometheusTSDBCompactionsFailing",
        "PrometheusTSDBReloadsFailing", "AlertmanagerFailedReload", "AlertmanagerFailedToSendAlerts",
        "OtelCollectorExportFailing", "OtelCollectorRefusingData", "OtelCollectorQueueFull", "ServiceMetricsMissing",
        "BlackboxExporterDown", "ServiceProbeMissing", "OutageRecentlyPaged", "ResourceCrashLooping",
        "PrometheusReplicaDown", "AlertmanagerClusterDown", "AlertmanagerClusterFailedToSendAlerts", "AlertmanagerMembersInconsistent",
        "AlertmanagerConfigInconsistent",
    ];

    /// <summary>Severity none: the heartbeat, and inhibition sources that Alertmanager routes to no one.</summary>
    private static readonly string[] SeverityNone = ["Watchdog", "OutageRecentlyPaged"];

    public static TheoryData<string> AlertNames => new(Rules.AlertNames);

    [Fact]
    public void Every_required_alert_exists() =>
        Assert.Empty(RequiredAlerts.Except(Rules.AlertNames));

    [Theory]
    [MemberData(nameof(AlertNames))]
    public void Alert_has_severity_annotations_runbook_and_explicit_for(string alertName)
    {
        foreach (var rule in Rules.Alerts.Where(a => a.Alert == alertName))
        {
            Assert.Matches("^[A-Z][A-Za-z0-9]+$", alertName);
            Assert.False(string.IsNullOrWhiteSpace(rule.For), $"{alertName} has no explicit 'for'");
            Assert.Contains(rule.Severity, SeverityNone.Contains(alertName) ? ["none"] : new[] { "critical", "warning" });
            foreach (var annotation in new[] { "summary", "description", "runbook_url" })
            {
                Assert.False(
                    string.IsNullOrWhiteSpace(rule.Annotations?.GetValueOrDefault(annotation)),
                    $"{alertName} ({rule.Severity}) has no '{annotation}' annotation");
            }

            Assert.Equal(Rules.RunbookBaseUrl + alertName + ".md", rule.Annotations!["runbook_url"]);
        }
    }

    [Theory]
    [MemberData(nameof(AlertNames))]
    public void Alert_has_a_runbook_that_says_what_it_means_how_to_confirm_and_what_to_do(string alertName)
    {
        var path = Path.Combine(RepoPaths.Runbooks, alertName + ".md");
        Assert.True(File.Exists(path), $"missing runbook {path}");
        var text = File.ReadAllText(path);
        Assert.StartsWith("# " + alertName, text);
        foreach (var heading in new[] { "## Meaning", "## Confirm", "## Act" })
        {
            Assert.Contains(heading, text);
        }
    }

    [Fact]
    public void Every_alert_except_Watchdog_carries_a_service_label()
    {
        // The service label comes from the rule's labels, from label_replace(job), from the probe series, from an
        // aggregation by service, or from the SLO records kept per job and service.
        var missing = Rules.Alerts
            .Where(a => a.Alert != "Watchdog")
            .Where(a => a.Labels?.ContainsKey("service") != true
                && !Regex.IsMatch(a.Expr, "label_replace\\(.*\"service\"", RegexOptions.Singleline)
                && !Regex.IsMatch(a.Expr, "by \\([^)]*\\bservice\\b")
                && !a.Expr.Contains("job_service:", StringComparison.Ordinal)
                && !a.Expr.Contains("probe_success{", StringComparison.Ordinal))
            .Select(a => a.Alert);
        Assert.Empty(missing);
    }

    [Fact]
    public void Recording_rules_are_named_level_metric_operations()
    {
        var badNames = Rules.Records.Select(r => r.Record!).Where(n => !Regex.IsMatch(n, "^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$"));
        Assert.Empty(badNames);
        Assert.Equal(Rules.Records.Count, Rules.Records.Select(r => r.Record).Distinct().Count());
    }

    [Theory]
    [InlineData("availability")]
    [InlineData("scan_latency")]
    public void Sli_is_recorded_over_every_burn_rate_window(string sli)
    {
        var windows = new[] { "5m", "30m", "1h", "2h", "6h", "1d", "3d" };
        Assert.All(windows, w => Assert.Contains($"job:slo_{sli}:ratio_rate{w}", KnownMetrics.Recorded));
    }

    /// <summary>The end-to-end tests wait for these alerts on a real Prometheus: their hold must stay short.</summary>
    [Theory]
    [InlineData("ServiceDown", 60)]
    [InlineData("HighErrorRate", 120)]
    [InlineData("HighScanLatency", 120)]
    [InlineData("PrometheusReplicaDown", 60)]
    public void Alerts_awaited_by_end_to_end_tests_fire_within_two_minutes(string alertName, int maxForSeconds)
    {
        foreach (var rule in Rules.Alerts.Where(a => a.Alert == alertName))
        {
            Assert.True(ToSeconds(rule.For!) <= maxForSeconds, $"{alertName} for: {rule.For}");
            Assert.DoesNotMatch(@"\[(1[0-9]|[2-9][0-9])m\]|\[[0-9]+h\]", rule.Expr);
        }
    }

    private static int ToSeconds(string duration)
    {
        var m = Regex.Match(duration, "^([0-9]+)(s|m|h)$");
        Assert.True(m.Success, $"unexpected duration {duration}");
        return int.Parse(m.Groups[1].Value) * (m.Groups[2].Value switch { "s" => 1, "m" => 60, _ => 3600 });
    }
}
