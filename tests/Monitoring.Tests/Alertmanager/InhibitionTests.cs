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

    /// <summary>Alerts are written alertname/service/severity.</summary>
    public static readonly Scenario[] Scenarios =
    [
        new("critical silences the warning of the same alert and service",
            ["HighErrorRate/taskservice/critical", "HighErrorRate/taskservice/warning", "HighErrorRate/importservice/warning", "HighLatency/taskservice/warning"],
            ["HighErrorRate/taskservice/warning"]),
        new("ServiceDown silences that service's error, latency and health alerts",
            ["ServiceDown/taskservice/critical", "HighErrorRate/taskservice/critical", "HighLatency/taskservice/warning", "HighScanLatency/taskservice/warning",
             "ServiceUnhealthy/taskservice/warning", "HighErrorRate/importservice/warning", "ServiceHighMemory/taskservice/warning"],
            ["HighErrorRate/taskservice/critical", "HighLatency/taskservice/warning", "HighScanLatency/taskservice/warning", "ServiceUnhealthy/taskservice/warning"]),
        new("PostgresDown silences the alerts it causes but not the SLO burn",
            ["PostgresDown/postgres/critical", "ServiceUnhealthy/importservice/warning", "ImportJobsFailing/importservice/warning",
             "HighErrorRate/taskservice/critical", "PostgresTooManyConnections/postgres/warning", "ServiceUnhealthy/realtimeworker/warning",
             "ApiAvailabilityBudgetFastBurn/apigateway/critical", "RedisMemoryHigh/redis/warning"],
            ["ServiceUnhealthy/importservice/warning", "ImportJobsFailing/importservice/warning", "HighErrorRate/taskservice/critical",
             "PostgresTooManyConnections/postgres/warning"]),
        new("RedisDown silences the alerts it causes",
            ["RedisDown/redis/critical", "RealtimeBroadcastFailures/realtimeworker/warning", "WebSocketDisconnectSpike/realtimeworker/warning",
             "ServiceUnhealthy/taskservice/warning", "RedisMemoryHigh/redis/warning", "HighErrorRate/taskservice/warning", "PostgresTooManyConnections/postgres/warning"],
            ["RealtimeBroadcastFailures/realtimeworker/warning", "WebSocketDisconnectSpike/realtimeworker/warning", "ServiceUnhealthy/taskservice/warning",
             "RedisMemoryHigh/redis/warning"]),
        new("the fast SLO burn silences the slow burn",
            ["ApiAvailabilityBudgetFastBurn/apigateway/critical", "ApiAvailabilityBudgetSlowBurn/apigateway/warning"],
            ["ApiAvailabilityBudgetSlowBurn/apigateway/warning"]),
        new("warnings without a cause are not silenced",
            ["HighErrorRate/taskservice/warning", "ServiceUnhealthy/importservice/warning", "RedisMemoryHigh/redis/warning"],
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
        var parts = alert.Split('/');
        var labels = new Dictionary<string, string> { ["alertname"] = parts[0], ["service"] = parts[1], ["severity"] = parts[2] };
        if (parts[0].StartsWith("ApiAvailabilityBudget", StringComparison.Ordinal))
        {
            labels["slo"] = "api-availability";
        }

        return labels;
    }

    private static bool IsInhibited(JsonNode? alert) => alert!["status"]!["inhibitedBy"]!.AsArray().Count > 0;

    private static string Key(JsonNode? alert)
    {
        var labels = alert!["labels"]!;
        return $"{labels["alertname"]}/{labels["service"]}/{labels["severity"]}";
    }
}
