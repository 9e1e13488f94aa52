using Warehouse.Testing;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// The monitoring stack as the local flavour runs it, from the AppHost's own resources on ports the orchestrator
/// allocates: Alertmanager (started first, as ENVIRONMENT.md advises) with the repository config whose endpoints point
/// at the test's recorders, then Prometheus and, in its host, the blackbox exporter probing a fake service and a dead
/// one. Alerts for the delivery tests are posted once at start so their group timers run while other tests execute.
/// </summary>
public sealed class MonitoringStack : IAsyncLifetime
{
    public const string PagerDutyKey = "test-pagerduty-routing-key";
    public const string WebhookToken = "test-webhook-token";
    public const string ProbedService = "fakeservice";
    public const string DeadService = "deadservice";

    private AlertmanagerInstance? _alertmanager;
    private PrometheusInstance? _prometheus;

    /// <summary>A port nothing listens on: the probe of DeadService's /alive fails, so ServiceDown fires.</summary>
    private readonly ReservedPort _deadService = FreePorts.Reserve();

    public int DeadServicePort => _deadService.Port;

    public BasicAuth Auth { get; private set; } = null!;

    /// <summary>Receives webhook, Slack and PagerDuty calls, and serves the fake service's /alive and /health.</summary>
    public HttpRecorder Recorder { get; } = new();

    public FakeSmtpServer Smtp { get; } = new();

    public AlertmanagerInstance Alertmanager => _alertmanager ?? throw NotStarted();

    public PrometheusInstance Prometheus => _prometheus ?? throw NotStarted();

    public DateTimeOffset AlertsPostedAt { get; private set; }

    public async Task InitializeAsync()
    {
        Recorder.Respond("/health", 503);
        Auth = BasicAuth.Create();
        _alertmanager = await AlertmanagerInstance.StartAsync(Auth, RewriteEndpoints, new Dictionary<string, string>
        {
            ["pagerduty_routing_key"] = PagerDutyKey,
            ["slack_critical_webhook_url"] = Recorder.BaseUrl + "/slack/critical",
            ["slack_warning_webhook_url"] = Recorder.BaseUrl + "/slack/warning",
            ["webhook_token"] = WebhookToken,
        });
        await _alertmanager.PostAlertsAsync(
            DeliveryAlert("DeliveryTestCritical", "critical"),
            DeliveryAlert("DeliveryTestWarning", "warning"),
            DeliveryAlert("DeliveryTestInfo", "info"));
        AlertsPostedAt = DateTimeOffset.UtcNow;

        _prometheus = await PrometheusInstance.StartAsync(Auth, _alertmanager.Address, probes: new Dictionary<string, Uri>
        {
            [ProbedService] = new(Recorder.BaseUrl),
            [DeadService] = new($"http://127.0.0.1:{DeadServicePort}"),
        });
    }

    /// <summary>Stops every server, each even when an earlier one failed to start or to stop.</summary>
    public Task DisposeAsync() => Teardown.DisposeAllAsync(_prometheus, _alertmanager, Recorder, Smtp, _deadService);

    private static InvalidOperationException NotStarted() => new("The monitoring stack did not start: see the fixture's error.");

    private static Dictionary<string, string> DeliveryAlert(string name, string severity) =>
        new() { ["alertname"] = name, ["service"] = "deliverytest", ["severity"] = severity };

    /// <summary>Points the config's external endpoints at the test's recorders; each must exist in the config.</summary>
    private string RewriteEndpoints(string config)
    {
        config = ReplaceRequired(config, "http://alert-relay:9095/", Recorder.BaseUrl + "/");
        config = ReplaceRequired(config, "https://heartbeat.invalid/warehouse-platform", Recorder.BaseUrl + "/heartbeat");
        config = ReplaceRequired(config, "smtp.warehouse-platform.example:587", $"127.0.0.1:{Smtp.Port}");
        config = ReplaceRequired(config, "smtp_require_tls: true", "smtp_require_tls: false");
        return ReplaceRequired(config, "global:\n", $"global:\n  pagerduty_url: '{Recorder.BaseUrl}/pagerduty'\n");
    }

    private static string ReplaceRequired(string text, string oldValue, string newValue)
    {
        if (!text.Contains(oldValue, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"alertmanager.yml no longer contains '{oldValue}': update MonitoringStack.");
        }

        return text.Replace(oldValue, newValue, StringComparison.Ordinal);
    }
}

[CollectionDefinition(Name)]
public sealed class MonitoringStackCollection : ICollectionFixture<MonitoringStack>
{
    public const string Name = "monitoring stack";
}
