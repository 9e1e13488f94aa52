using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Warehouse.Hosting.Monitoring;
using Warehouse.Testing;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// A real Alertmanager (Debian's prometheus-alertmanager) started by the AppHost's own resource (Warehouse.Hosting's
/// AddLocalAlertmanager: its run directory, web.yml, <c>/-/ready</c> health, clustering off) in the tests' MonitoringHost,
/// on a port the orchestrator allocates, with test secrets and basic auth.
/// </summary>
public sealed class AlertmanagerInstance : IAsyncDisposable
{
    private const string Name = "alertmanager";

    private readonly LocalAppHost _host;
    private readonly TempDir _dir;

    private AlertmanagerInstance(LocalAppHost host, TempDir dir, BasicAuth auth)
    {
        _host = host;
        _dir = dir;
        var endpoint = host.Endpoint(Name);
        Address = $"{endpoint.Host}:{endpoint.Port}";
        Client = auth.CreateClient(endpoint.ToString());
    }

    /// <summary>Based at Alertmanager's URL, with basic auth.</summary>
    public HttpClient Client { get; }

    /// <summary>host:port, as Prometheus's file_sd lists it.</summary>
    public string Address { get; }

    /// <summary>
    /// Starts Alertmanager with the repository's config passed through <paramref name="rewriteConfig"/>
    /// and the secret files <paramref name="secrets"/> (name under secrets/ to content).
    /// </summary>
    public static async Task<AlertmanagerInstance> StartAsync(
        BasicAuth auth,
        Func<string, string>? rewriteConfig = null,
        IReadOnlyDictionary<string, string>? secrets = null)
    {
        var config = File.ReadAllText(Path.Combine(RepoPaths.AlertmanagerDir, "alertmanager.yml"));
        var files = new AlertmanagerFiles(
            rewriteConfig is null ? config : rewriteConfig(config),
            SecretNames.ToDictionary(name => name, name => secrets?.GetValueOrDefault(name) ?? $"test-{name}"));
        var dir = new TempDir("alertmanager");
        try
        {
            var host = await MonitoringHost.StartAsync(auth, builder => builder
                .AddLocalAlertmanager(Name, dir.Path, Path.Combine(RepoPaths.AlertmanagerDir, "templates"), MonitoringHost.Password(builder), _ => Task.FromResult(files))
                .WithArgs("--log.level=debug"));
            return new AlertmanagerInstance(host, dir, auth);
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    /// <summary>Stops the process and starts it again (the orchestrator's commands): no alerts, as they live in memory.</summary>
    public async Task RestartAsync()
    {
        await _host.StopResourceAsync(Name);
        await _host.StartResourceAsync(Name);
    }

    /// <summary>Stops Alertmanager and removes its run directory, the one even when the other fails.</summary>
    public ValueTask DisposeAsync() => new(Teardown.DisposeAllAsync(Client, _host, _dir));

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
        Assert.True(response.IsSuccessStatusCode,
            $"POST /api/v2/alerts: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{string.Join("\n", await _host.LogTailAsync(Name))}");
    }

    /// <summary>Alerts as Alertmanager reports them (labels, status.state, status.inhibitedBy).</summary>
    public async Task<JsonArray> GetAlertsAsync()
    {
        var json = await Client.GetStringAsync("api/v2/alerts");
        return JsonNode.Parse(json)!.AsArray();
    }
}
