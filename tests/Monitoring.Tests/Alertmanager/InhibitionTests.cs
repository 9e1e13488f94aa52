using System.Text.Json.Nodes;
using Monitoring.Tests.Infrastructure;
using Warehouse.Testing;

namespace Monitoring.Tests.Alertmanager;

/// <summary>
/// The inhibit rules, checked against a real Alertmanager: each scenario posts alerts through the v2 API
/// to a fresh instance and reads back exactly which ones are inhibited.
/// </summary>
public class InhibitionTests
{
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
        new("a dead API service is the one page: the SLO burns it causes are silenced",
            ["ServiceDown/taskservice/critical", "ApiAvailabilityBudgetFastBurn/apigateway/critical", "ApiScanLatencyBudgetFastBurn/apigateway/critical",
             "ApiAvailabilityBudgetSlowBurn/apigateway/warning"],
            ["ApiAvailabilityBudgetFastBurn/apigateway/critical", "ApiScanLatencyBudgetFastBurn/apigateway/critical",
             "ApiAvailabilityBudgetSlowBurn/apigateway/warning"]),
        new("a dead realtime worker serves no API request: the SLO burn still pages",
            ["ServiceDown/realtimeworker/critical", "ApiAvailabilityBudgetFastBurn/apigateway/critical"],
            []),
        new("PostgresDown silences the alerts it causes and the SLO burn",
            ["PostgresDown/postgres/critical", "ServiceUnhealthy/importservice/warning", "ImportJobsFailing/importservice/warning",
             "HighErrorRate/taskservice/warning", "PostgresTooManyConnections/postgres/warning", "ServiceUnhealthy/realtimeworker/warning",
             "ApiAvailabilityBudgetFastBurn/apigateway/critical", "RedisMemoryHigh/redis/warning"],
            ["ServiceUnhealthy/importservice/warning", "ImportJobsFailing/importservice/warning", "HighErrorRate/taskservice/warning",
             "PostgresTooManyConnections/postgres/warning", "ApiAvailabilityBudgetFastBurn/apigateway/critical"]),
        new("RedisDown silences the alerts it causes",
            ["RedisDown/redis/critical", "RealtimeBroadcastFailures/realtimeworker/warning", "WebSocketDisconnectSpike/realtimeworker/warning",
             "ServiceUnhealthy/taskservice/warning", "RedisMemoryHigh/redis/warning", "HighErrorRate/taskservice/warning", "PostgresTooManyConnections/postgres/warning"],
            ["RealtimeBroadcastFailures/realtimeworker/warning", "WebSocketDisconnectSpike/realtimeworker/warning", "ServiceUnhealthy/taskservice/warning",
             "RedisMemoryHigh/redis/warning"]),
        new("the fast burn of an SLO silences its own slow burn, not another SLO's",
            ["ApiAvailabilityBudgetFastBurn/apigateway/critical", "ApiAvailabilityBudgetSlowBurn/apigateway/warning",
             "ApiScanLatencyBudgetSlowBurn/apigateway/warning"],
            ["ApiAvailabilityBudgetSlowBurn/apigateway/warning"]),
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
        var auth = BasicAuth.Create();
        await using var am = await AlertmanagerInstance.StartAsync(auth);

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
