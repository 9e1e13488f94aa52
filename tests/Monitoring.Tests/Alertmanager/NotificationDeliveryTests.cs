using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Monitoring.Tests.Infrastructure;
using Warehouse.Testing;
using Xunit.Abstractions;

namespace Monitoring.Tests.Alertmanager;

/// <summary>
/// Notifications really delivered by a running Alertmanager, through the repository's routes, receivers and
/// templates, to endpoints the test runs (webhooks, Slack, PagerDuty over HTTP; email over SMTP).
/// </summary>
[Collection(MonitoringStackCollection.Name)]
public class NotificationDeliveryTests(MonitoringStack stack, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private static string Runbook(string alert) => Rules.RunbookBaseUrl + alert + ".md";

    [Fact]
    public async Task Critical_alert_pages_PagerDuty_with_routing_key_summary_and_runbook_link()
    {
        var request = await stack.Recorder.WaitForAsync(
            r => r.Path == "/pagerduty" && r.Body.Contains("DeliveryTestCritical"), Wait, "PagerDuty event for DeliveryTestCritical");

        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal(MonitoringStack.PagerDutyKey, (string?)body["routing_key"]);
        Assert.Equal("trigger", (string?)body["event_action"]);
        Assert.Equal("[FIRING:1] DeliveryTestCritical on deliverytest (critical)", (string?)body["payload"]!["summary"]);
        Assert.Equal("critical", (string?)body["payload"]!["severity"]);
        Assert.Contains("description of DeliveryTestCritical", (string?)body["payload"]!["custom_details"]!["text"]);
        Assert.Equal(Runbook("DeliveryTestCritical"), (string?)body["links"]![0]!["href"]);
    }

    [Fact]
    public async Task Critical_alert_posts_title_summary_description_and_runbook_to_the_critical_Slack_channel()
    {
        var request = await stack.Recorder.WaitForAsync(
            r => r.Path == "/slack/critical" && r.Body.Contains("DeliveryTestCritical"), Wait, "Slack message for DeliveryTestCritical");

        var body = JsonNode.Parse(request.Body)!;
        var attachment = body["attachments"]![0]!;
        Assert.Equal("#warehouse-alerts-critical", (string?)body["channel"]);
        Assert.Equal("[FIRING:1] DeliveryTestCritical on deliverytest (critical)", (string?)attachment["title"]);
        Assert.Equal(Runbook("DeliveryTestCritical"), (string?)attachment["title_link"]);
        Assert.Equal("danger", (string?)attachment["color"]);
        Assert.Contains(
            $"FIRING: summary of DeliveryTestCritical\ndescription of DeliveryTestCritical\nRunbook: {Runbook("DeliveryTestCritical")}",
            (string?)attachment["text"]);
    }

    [Fact]
    public async Task Warning_alert_goes_to_the_warning_channel_and_email_but_never_to_the_pager()
    {
        var request = await stack.Recorder.WaitForAsync(
            r => r.Path == "/slack/warning" && r.Body.Contains("DeliveryTestWarning"), Wait, "Slack message for DeliveryTestWarning");
        Assert.Equal("#warehouse-alerts-warning", (string?)JsonNode.Parse(request.Body)!["channel"]);
        await stack.Smtp.WaitForAsync(m => m.Contains("Subject: [FIRING:1] DeliveryTestWarning"), Wait, "email for DeliveryTestWarning");

        // The critical alert, posted at the same time with a shorter group_wait, reached the pager by now.
        await stack.Recorder.WaitForAsync(r => r.Path == "/pagerduty" && r.Body.Contains("DeliveryTestCritical"), Wait, "PagerDuty event");
        Assert.DoesNotContain(stack.Recorder.Requests, r => r.Path is "/pagerduty" or "/slack/critical" && r.Body.Contains("DeliveryTestWarning"));
    }

    [Fact]
    public async Task Critical_alert_is_emailed_with_the_title_as_subject_and_a_runbook_link()
    {
        var message = await stack.Smtp.WaitForAsync(
            m => m.Contains("Subject: [FIRING:1] DeliveryTestCritical on deliverytest (critical)"), Wait, "email for DeliveryTestCritical");

        var decoded = QuotedPrintable.Decode(message);
        Assert.Contains("To: warehouse-oncall@warehouse-platform.example", decoded);
        Assert.Contains($"<a href=\"{Runbook("DeliveryTestCritical")}\">Runbook</a>", decoded);
        Assert.Contains("description of DeliveryTestCritical", decoded);
    }

    [Fact]
    public async Task Unrouted_alert_reaches_the_default_webhook_with_the_bearer_token()
    {
        var request = await stack.Recorder.WaitForAsync(
            r => r.Path == "/alerts" && r.Body.Contains("DeliveryTestInfo"), Wait, "default webhook call for DeliveryTestInfo");

        Assert.Equal("Bearer " + MonitoringStack.WebhookToken, request.Authorization);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("default-webhook", (string?)body["receiver"]);
        Assert.Equal("firing", (string?)body["status"]);
        Assert.Equal("info", (string?)body["alerts"]![0]!["labels"]!["severity"]);
        Assert.DoesNotContain(stack.Recorder.Requests, r => r.Path.StartsWith("/slack", StringComparison.Ordinal) && r.Body.Contains("DeliveryTestInfo"));
    }

    /// <summary>
    /// The heartbeat service expects a ping every minute. Alertmanager re-sends an unchanged group at a group_interval
    /// tick only when more than repeat_interval has passed since the last send; with both at 1m it skipped every
    /// other tick (pings 2 minutes apart). Three consecutive pings must each follow the last within 90 s.
    /// </summary>
    [Fact]
    public async Task Watchdog_reaches_the_heartbeat_every_minute()
    {
        await Eventually.TrueAsync(
            () => Heartbeats().Count >= 3, TimeSpan.FromMinutes(4), "three heartbeats");

        var pings = Heartbeats();
        var gaps = pings.Zip(pings.Skip(1), (a, b) => b - a).ToList();
        output.WriteLine($"heartbeat gaps: {string.Join(", ", gaps.Select(g => $"{g.TotalSeconds:F1} s"))}");
        Assert.True(gaps.Count >= 2, $"{pings.Count} heartbeats");
        Assert.All(gaps, gap => Assert.InRange(gap, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(90)));
    }

    private List<DateTime> Heartbeats() =>
        [.. stack.Recorder.Requests.Where(r => r.Path == "/heartbeat" && r.Body.Contains("Watchdog")).Select(r => r.ReceivedAt).Order()];

    [Fact]
    public async Task Watchdog_from_Prometheus_reaches_the_heartbeat_webhook_through_authenticated_Alertmanager()
    {
        var request = await stack.Recorder.WaitForAsync(
            r => r.Path == "/heartbeat" && r.Body.Contains("Watchdog"), Wait, "heartbeat with Prometheus's Watchdog");

        var body = JsonNode.Parse(request.Body)!;
        var labels = body["alerts"]![0]!["labels"]!;
        Assert.Equal("heartbeat", (string?)body["receiver"]);
        Assert.Equal("Watchdog", (string?)labels["alertname"]);
        Assert.Equal("none", (string?)labels["severity"]);
        // External labels prove the alert came from the repository's Prometheus config, not from the test.
        Assert.Equal("warehouse", (string?)labels["platform"]);
        Assert.Equal("local", (string?)labels["host_mode"]);
        // A heartbeat service's URL is its own secret: the relay's token is not sent outside the platform.
        Assert.Null(request.Authorization);
    }
}

internal static partial class QuotedPrintable
{
    public static string Decode(string text) =>
        Hex().Replace(text.Replace("=\r\n", "").Replace("=\n", ""), m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());

    [GeneratedRegex("=([0-9A-F]{2})")]
    private static partial Regex Hex();
}
