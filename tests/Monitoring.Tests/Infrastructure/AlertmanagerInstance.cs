using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Warehouse.Hosting.Monitoring;
using Warehouse.Testing;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// A real Alertmanager (Debian's prometheus-alertmanager) on a free loopback port, laid out and started as the
/// AppHost's local resource does (Warehouse.Hosting's AlertmanagerLayout), with test secrets and basic auth, clustering off.
/// </summary>
public sealed class AlertmanagerInstance : ServerInstance
{
    private AlertmanagerInstance(ServerProcess process, HttpClient client, int port, TempDir dir)
        : base(process, client, port, dir)
    {
    }

    /// <summary>
    /// Starts Alertmanager with the repository's config passed through <paramref name="rewriteConfig"/>
    /// and the secret files <paramref name="secrets"/> (name under secrets/ to content).
    /// </summary>
    public static Task<AlertmanagerInstance> StartAsync(
        BasicAuth auth,
        Func<string, string>? rewriteConfig = null,
        IReadOnlyDictionary<string, string>? secrets = null) =>
        StartOnFreePortAsync(port => StartAsync(port, auth, rewriteConfig, secrets));

    private static async Task<AlertmanagerInstance> StartAsync(
        int port, BasicAuth auth, Func<string, string>? rewriteConfig, IReadOnlyDictionary<string, string>? secrets)
    {
        var dir = new TempDir("alertmanager");
        var config = File.ReadAllText(Path.Combine(RepoPaths.AlertmanagerDir, "alertmanager.yml"));
        AlertmanagerLayout.Write(
            dir.Path,
            rewriteConfig is null ? config : rewriteConfig(config),
            Path.Combine(RepoPaths.AlertmanagerDir, "templates"),
            SecretNames.ToDictionary(name => name, name => secrets?.GetValueOrDefault(name) ?? $"test-{name}"),
            auth.WebConfigYaml);

        // Alertmanager resolves the *_file secrets relative to its working directory: run it in the config dir.
        var process = ServerProcess.Start(
            "prometheus-alertmanager",
            [
                .. AlertmanagerLayout.Arguments(dir.Path),
                .. AlertmanagerLayout.Cluster(listen: null, peers: []),
                $"--web.listen-address=127.0.0.1:{port}",
                "--log.level=debug",
            ],
            dir.Path);
        var instance = new AlertmanagerInstance(process, auth.CreateClient($"http://127.0.0.1:{port}/"), port, dir);
        return await WhenReadyAsync(instance, "-/ready", TimeSpan.FromSeconds(20));
    }

    /// <summary>The secret files alertmanager.yml reads (see its header).</summary>
    public static readonly string[] SecretNames =
    [
        "pagerduty_routing_key", "slack_critical_webhook_url", "slack_warning_webhook_url", "smtp_password", "webhook_token",
    ];

    public async Task PostAlertsAsync(params IReadOnlyDictionary<string, string>[] labelSets)
    {
        var alerts = new JsonArray();
        foreach (var labels in labelSets)
        {
            var name = labels.GetValueOrDefault("alertname", "Test");
            alerts.Add(new JsonObject
            {
                ["labels"] = new JsonObject(labels.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
                ["annotations"] = new JsonObject
                {
                    ["summary"] = $"summary of {name}",
                    ["description"] = $"description of {name}",
                    ["runbook_url"] = $"https://github.com/warehouse-platform/platform/blob/main/docs/runbooks/{name}.md",
                },
                ["startsAt"] = DateTime.UtcNow.AddSeconds(-5).ToString("O"),
            });
        }

        using var response = await Client.PostAsJsonAsync("api/v2/alerts", alerts);
        Assert.True(response.IsSuccessStatusCode, $"POST /api/v2/alerts: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{Process.Log}");
    }

    /// <summary>Alerts as Alertmanager reports them (labels, status.state, status.inhibitedBy).</summary>
    public async Task<JsonArray> GetAlertsAsync()
    {
        var json = await Client.GetStringAsync("api/v2/alerts");
        return JsonNode.Parse(json)!.AsArray();
    }
}
