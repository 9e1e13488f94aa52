using System.Text.Json.Nodes;
using Monitoring.Tests.Infrastructure;
using Warehouse.Testing;

namespace Monitoring.Tests.Alertmanager;

/// <summary>
/// The inhibit rules, checked against a real Alertmanager: each scenario posts alerts through the v2 API
/// to a fresh instance and reads back exactly which ones are inhibited.
/// </summary>
public class InhibitionTests(InhibitionTests.FreshAlertmanager alertmanager) : IClassFixture<InhibitionTests.FreshAlertmanager>
{
    /// <summary>
    /// One Alertmanager for the class, started again for each scenario: its alerts live in memory, so a restart is a fresh
    /// instance without the cost of a new host.
    /// </summary>
    public sealed class FreshAlertmanager : IAsyncLifetime
    {
        private AlertmanagerInstance? _instance;
        private bool _used;

        public async Task InitializeAsync() => _instance = await AlertmanagerInstance.StartAsync(BasicAuth.Create());

        /// <summary>The instance with no alerts: as started for the first scenario, started again for every other.</summary>
        public async Task<AlertmanagerInstance> FreshAsync()
        {
            var instance = _instance ?? throw new InvalidOperationException("Alertmanager did not start: see the fixture's error.");
            if (_used)
            {
                await instance.RestartAsync();
            }

            _used = true;
            return instance;
        }

        public async Task DisposeAsync() => await Teardown.DisposeAllAsync(_instance);
    }

    public sealed record Scenario(string Name, string[] Alerts, string[] Inhibited)
    {
        public override string ToString() => Name;
    }

    /// <summary>
    /// Alerts are written alertname/service/severity, then any further labels as ;name=value in name order. The SLO alerts get
    /// their slo label from the name, as the rules give it.
    /// </summary>
    public static readonly Scenario[] Scenarios =
    [
        new("critical silences the warning of the same alert on the same service",
            ["ServiceHighMemory/taskservice/critical", "ServiceHighMemory/taskservice/warning", "ServiceHighMemory/importservice/warning", "HighLatency/taskservice/warning"],
            ["ServiceHighMemory/taskservice/warning"]),
        new("a critical disk on one host and mountpoint does not silence another host or mountpoint",
            ["NodeFilesystemAlmostOutOfSpace/node/critical;instance=host-a;mountpoint=/",
             "NodeFilesystemAlmostOutOfSpace/node/warning;instance=host-a;mountpoint=/",
             "NodeFilesystemAlmostOutOfSpace/node/warning;instance=host-b;mountpoint=/",
             "NodeFilesystemAlmostOutOfSpace/node/warning;instance=host-a;mountpoint=/data"],
            ["NodeFilesystemAlmostOutOfSpace/node/warning;instance=host-a;mountpoint=/"]),
        new("ServiceDown silences that service's error, latency, health and telemetry alerts",
            ["ServiceDown/taskservice/critical", "HighErrorRate/taskservice/warning", "HighLatency/taskservice/warning", "HighScanLatency/taskservice/warning",
             "ServiceUnhealthy/taskservice/warning", "ServiceMetricsMissing/taskservice/warning", "HighErrorRate/importservice/warning",
             "ServiceHighMemory/taskservice/warning"],
            ["HighErrorRate/taskservice/warning", "HighLatency/taskservice/warning", "HighScanLatency/taskservice/warning",
             "ServiceUnhealthy/taskservice/warning", "ServiceMetricsMissing/taskservice/warning"]),
        new("ServiceDown (no copy left) silences the warning of every copy of that service, not a copy of another service",
            ["ServiceDown/importservice/critical", "ServiceInstanceDown/importservice/warning;instance=http://127.0.0.1:8003/alive",
             "ServiceInstanceDown/importservice/warning;instance=http://127.0.0.1:8013/alive",
             "ServiceInstanceDown/taskservice/warning;instance=http://127.0.0.1:8011/alive"],
            ["ServiceInstanceDown/importservice/warning;instance=http://127.0.0.1:8003/alive",
             "ServiceInstanceDown/importservice/warning;instance=http://127.0.0.1:8013/alive"]),
        new("one copy down while the others serve is a warning of its own: not silenced, and it silences none of the service's symptoms",
            ["ServiceInstanceDown/taskservice/warning;instance=http://127.0.0.1:8011/alive", "HighErrorRate/taskservice/warning;instance=127.0.0.1:8001",
             "ServiceUnhealthy/taskservice/warning;instance=http://127.0.0.1:8001/health", "ApiAvailabilityBudgetFastBurn/taskservice/critical"],
            []),
        new("a dead API service is the one page: the SLO burns of its own requests are silenced, another service's are not",
            ["ServiceDown/taskservice/critical", "OutageRecentlyPaged/taskservice/none", "ApiAvailabilityBudgetFastBurn/taskservice/critical",
             "ApiScanLatencyBudgetFastBurn/taskservice/critical", "ApiAvailabilityBudgetSlowBurn/taskservice/warning",
             "ApiAvailabilityBudgetFastBurn/importservice/critical", "ApiAvailabilityBudgetFastBurn/apigateway/critical"],
            ["ApiAvailabilityBudgetFastBurn/taskservice/critical", "ApiScanLatencyBudgetFastBurn/taskservice/critical",
             "ApiAvailabilityBudgetSlowBurn/taskservice/warning"]),
        new("after recovery (ServiceDown resolved) the burn the outage left in its windows stays silenced",
            ["OutageRecentlyPaged/taskservice/none", "ApiAvailabilityBudgetFastBurn/taskservice/critical"],
            ["ApiAvailabilityBudgetFastBurn/taskservice/critical"]),
        new("a dead import service silences only the imports' burn, not the scans' or the tasks'",
            ["ServiceDown/importservice/critical", "OutageRecentlyPaged/importservice/none", "ApiAvailabilityBudgetFastBurn/importservice/critical",
             "ApiAvailabilityBudgetFastBurn/taskservice/critical", "ApiScanLatencyBudgetFastBurn/taskservice/critical"],
            ["ApiAvailabilityBudgetFastBurn/importservice/critical"]),
        new("ServiceDown alone (the inhibition source is OutageRecentlyPaged) does not silence a burn",
            ["ServiceDown/taskservice/critical", "ApiAvailabilityBudgetFastBurn/taskservice/critical"],
            []),
        new("a dead realtime worker serves no API request: the SLO burn still pages",
            ["ServiceDown/realtimeworker/critical", "OutageRecentlyPaged/realtimeworker/none", "ApiAvailabilityBudgetFastBurn/taskservice/critical"],
            []),
        new("PostgresDown silences the alerts it causes and the SLO burn of the services that use Postgres",
            ["PostgresDown/postgres/critical", "OutageRecentlyPaged/postgres/none", "ServiceUnhealthy/importservice/warning", "ImportJobsFailing/importservice/warning",
             "HighErrorRate/taskservice/warning", "PostgresTooManyConnections/postgres/warning", "ServiceUnhealthy/realtimeworker/warning",
             "ApiAvailabilityBudgetFastBurn/taskservice/critical", "ApiAvailabilityBudgetFastBurn/importservice/critical",
             "ApiAvailabilityBudgetFastBurn/apigateway/critical", "RedisMemoryHigh/redis/warning"],
            ["ServiceUnhealthy/importservice/warning", "ImportJobsFailing/importservice/warning", "HighErrorRate/taskservice/warning",
             "PostgresTooManyConnections/postgres/warning", "ApiAvailabilityBudgetFastBurn/taskservice/critical",
             "ApiAvailabilityBudgetFastBurn/importservice/critical"]),
        new("RedisDown silences the alerts it causes, not the health of the gateway, which has no Redis",
            ["RedisDown/redis/critical", "RealtimeBroadcastFailures/realtimeworker/warning", "WebSocketDisconnectSpike/realtimeworker/warning",
             "ServiceUnhealthy/taskservice/warning", "ServiceUnhealthy/apigateway/warning", "RedisMemoryHigh/redis/warning",
             "HighErrorRate/taskservice/warning", "PostgresTooManyConnections/postgres/warning"],
            ["RealtimeBroadcastFailures/realtimeworker/warning", "WebSocketDisconnectSpike/realtimeworker/warning", "ServiceUnhealthy/taskservice/warning",
             "RedisMemoryHigh/redis/warning"]),
        new("the fast burn of an SLO silences its own slow burn of the same service, not another SLO's or service's",
            ["ApiAvailabilityBudgetFastBurn/taskservice/critical", "ApiAvailabilityBudgetSlowBurn/taskservice/warning",
             "ApiAvailabilityBudgetSlowBurn/importservice/warning", "ApiScanLatencyBudgetSlowBurn/taskservice/warning"],
            ["ApiAvailabilityBudgetSlowBurn/taskservice/warning"]),
        new("a slow backend's HighLatency silences the gateway's, not the other way round",
            ["HighLatency/taskservice/warning", "HighLatency/apigateway/warning"],
            ["HighLatency/apigateway/warning"]),
        new("a slow gateway alone is not silenced",
            ["HighLatency/apigateway/warning", "HighErrorRate/taskservice/warning"],
            []),
        new("a dead blackbox exporter is one page: the missing probes it causes are silenced",
            ["BlackboxExporterDown/blackbox/critical", "ServiceProbeMissing/taskservice/critical", "ServiceProbeMissing/apigateway/critical"],
            ["ServiceProbeMissing/taskservice/critical", "ServiceProbeMissing/apigateway/critical"]),
        new("a Prometheus replica or an Alertmanager member lost silences no service page and no symptom",
            ["PrometheusReplicaDown/prometheus/warning;instance=127.0.0.2:9090", "ExporterDown/alertmanager/warning;instance=127.0.0.1:9193",
             "AlertmanagerMembersInconsistent/alertmanager/warning;instance=127.0.0.1:9093", "AlertmanagerConfigInconsistent/alertmanager/warning",
             "PrometheusErrorSendingAlertsToAnyAlertmanager/prometheus/warning;instance=127.0.0.2:9090",
             "ServiceDown/taskservice/critical", "PostgresDown/postgres/critical", "ApiAvailabilityBudgetFastBurn/apigateway/critical",
             "RedisMemoryHigh/redis/warning"],
            []),
        new("the pager failing everywhere does not silence another integration failing everywhere",
            ["AlertmanagerClusterFailedToSendAlerts/alertmanager/critical;integration=pagerduty", "AlertmanagerClusterFailedToSendAlerts/alertmanager/warning;integration=slack",
             "AlertmanagerClusterDown/alertmanager/critical", "ServiceDown/taskservice/critical"],
            []),
        new("warnings without a cause are not silenced",
            ["HighErrorRate/taskservice/warning", "ServiceUnhealthy/importservice/warning", "RedisMemoryHigh/redis/warning",
             "ServiceMetricsMissing/importservice/warning"],
            []),
    ];

    public static TheoryData<Scenario> AllScenarios => new(Scenarios);

    [Theory]
    [MemberData(nameof(AllScenarios))]
    public async Task Alertmanager_inhibits_exactly_the_expected_alerts(Scenario scenario)
    {
        var am = await alertmanager.FreshAsync();

        await am.PostAlertsAsync(scenario.Alerts.Select(ToLabels).ToArray());

        // The inhibitor processes new alerts asynchronously: poll until the state is the expected one and stays so.
        // Every posted alert must be there, or "none inhibited" would pass against an Alertmanager that lost them.
        var expected = scenario.Inhibited.Order().ToList();
        List<string> inhibited = [];
        var visible = 0;
        DateTime? stableSince = null;
        await Eventually.TrueAsync(
            async () =>
            {
                var alerts = await am.GetAlertsAsync();
                inhibited = alerts.Where(IsInhibited).Select(Key).Order().ToList();
                visible = alerts.Count;
                if (visible != scenario.Alerts.Length || !inhibited.SequenceEqual(expected))
                {
                    stableSince = null;
                    return false;
                }

                stableSince ??= DateTime.UtcNow;
                return DateTime.UtcNow - stableSince > TimeSpan.FromSeconds(1);
            },
            TimeSpan.FromSeconds(20),
            () => $"expected all {scenario.Alerts.Length} alerts with [{string.Join(", ", expected)}] inhibited, for a second; " +
                $"last saw {visible} alerts with [{string.Join(", ", inhibited)}] inhibited");
    }

    private static Dictionary<string, string> ToLabels(string alert)
    {
        var fields = alert.Split(';');
        var parts = fields[0].Split('/');
        var labels = new Dictionary<string, string> { ["alertname"] = parts[0], ["service"] = parts[1], ["severity"] = parts[2] };
        foreach (var extra in fields.Skip(1))
        {
            var (name, value) = (extra[..extra.IndexOf('=')], extra[(extra.IndexOf('=') + 1)..]);
            labels[name] = value;
        }

        if (parts[0].StartsWith("ApiAvailabilityBudget", StringComparison.Ordinal))
        {
            labels["slo"] = "api-availability";
        }
        else if (parts[0].StartsWith("ApiScanLatencyBudget", StringComparison.Ordinal))
        {
            labels["slo"] = "scan-latency";
        }

        return labels;
    }

    private static bool IsInhibited(JsonNode? alert) => alert!["status"]!["inhibitedBy"]!.AsArray().Count > 0;

    /// <summary>The alert written back in the scenario's notation, extra labels in name order.</summary>
    private static string Key(JsonNode? alert)
    {
        var labels = alert!["labels"]!.AsObject();
        var extras = labels
            .Where(kv => kv.Key is not ("alertname" or "service" or "severity" or "slo"))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $";{kv.Key}={kv.Value}");
        return $"{labels["alertname"]}/{labels["service"]}/{labels["severity"]}{string.Concat(extras)}";
    }
}
