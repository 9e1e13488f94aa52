using System.Text.Json.Nodes;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Prometheus;

/// <summary>
/// The whole alerting path with the repository's files: a real blackbox probe of a dead endpoint, the
/// ServiceDown rule in a real Prometheus, its basic-auth push to Alertmanager, the critical route and the
/// templates, down to the pager and the critical chat channel.
/// </summary>
[Collection(MonitoringStackCollection.Name)]
public class AlertPipelineTests(MonitoringStack stack)
{
    [Fact]
    public async Task ServiceDown_fires_from_a_failed_probe_and_pages_with_the_rule_annotations()
    {
        var wait = TimeSpan.FromSeconds(150);
        var page = await stack.Recorder.WaitForAsync(
            r => r.Path == "/pagerduty" && r.Body.Contains("ServiceDown") && r.Body.Contains(MonitoringStack.DeadService),
            wait, "PagerDuty event for ServiceDown of the dead service");
        var chat = await stack.Recorder.WaitForAsync(
            r => r.Path == "/slack/critical" && r.Body.Contains("ServiceDown") && r.Body.Contains(MonitoringStack.DeadService),
            wait, "Slack message for ServiceDown");

        Assert.Equal($"[FIRING:1] ServiceDown on {MonitoringStack.DeadService} (critical)", (string?)JsonNode.Parse(page.Body)!["payload"]!["summary"]);
        Assert.Contains(
            $"FIRING: Service {MonitoringStack.DeadService} is down\nEvery liveness probe of {MonitoringStack.DeadService} has failed for 2 minutes: no copy serves it.\n" +
            $"Runbook: {Rules.RunbookBaseUrl}ServiceDown.md",
            (string?)JsonNode.Parse(chat.Body)!["attachments"]![0]!["text"]);
        Assert.DoesNotContain(stack.Recorder.Requests, r => r.Body.Contains("ServiceDown") && r.Body.Contains(MonitoringStack.ProbedService));
    }
}
