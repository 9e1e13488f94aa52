using Warehouse.ProcessHost.Hosting;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

/// <summary>
/// The whole platform through ProcessHost on free ports in a temp dir, with Alertmanager's Slack receivers and
/// its alert relay pointed at a webhook the tests run, so every notification is a real HTTP delivery.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    private readonly TempDir _dataDir = new("warehouse-e2e");
    private Platform? _platform;
    private MonitoringClient? _monitoring;

    public string RepoRoot { get; } = PlatformOptions.FindRepoRoot();

    /// <summary>Where Alertmanager's Slack receivers and alert relay deliver.</summary>
    public HttpRecorder Webhook { get; } = new();

    public Platform Platform => _platform ?? throw new InvalidOperationException("The platform has not been created yet.");

    /// <summary>One client per platform instance (ports and passwords survive a restart, but not a new fixture).</summary>
    public MonitoringClient Monitoring => _monitoring ??= MonitoringClient.For(Platform);

    public string Gateway => Platform.Url("apigateway");

    public string Token(string role, string? warehouse = null, string? subject = null) => Platform.Tokens.Mint(role, warehouse, subject);

    public HttpClient Client(string role, string? warehouse = null, string? subject = null) =>
        new HttpClient { BaseAddress = new Uri(Gateway), Timeout = TimeSpan.FromSeconds(30) }.WithToken(Token(role, warehouse, subject));

    /// <summary>A client that calls a service directly, bypassing the gateway's rate limits (for floods of test traffic).</summary>
    public HttpClient ServiceClient(string service, string role) =>
        new HttpClient { BaseAddress = new Uri(Platform.Url(service)), Timeout = TimeSpan.FromSeconds(30) }.WithToken(Token(role));

    public async Task InitializeAsync()
    {
        _platform = new Platform(Options());
        WriteReceiverSecrets();
        await _platform.StartAsync();
    }

    /// <summary>Stops the platform and starts a new host on the same data dir and ports, as a person would.</summary>
    public async Task RestartPlatformAsync()
    {
        var ports = Platform.Ports;
        await Platform.StopAsync();
        await Platform.DisposeAsync();
        _platform = null; // disposed: teardown must not dispose it again if the new host cannot be created
        _platform = new Platform(Options() with { UseFreePorts = false, Ports = ports });
        await _platform.StartAsync();
    }

    /// <summary>Stops the platform and the webhook and removes the temp dir, each even when another fails.</summary>
    public Task DisposeAsync() => Teardown.DisposeAllAsync(_monitoring, _platform, Webhook, _dataDir);

    private PlatformOptions Options() => new()
    {
        RepoRoot = RepoRoot,
        DataDir = _dataDir.Combine("platform"),
        UseFreePorts = true,
        FastPostgres = true,
        AlertResendDelay = TimeSpan.FromSeconds(2),
        AlertRelayUrl = Webhook.Url("relay/"),
        ServiceEnvironment = new Dictionary<string, string>
        {
            // Test traffic comes from one user; production limits stay as configured.
            ["RateLimiting__PermitsPerSecond"] = "2000",
            ["RateLimiting__Burst"] = "4000",
            ["Logging__LogLevel__Default"] = "Warning",
        },
    };

    /// <summary>Slack's incoming-webhook URLs are secrets the deployment supplies; here they are the test's webhook.</summary>
    private void WriteReceiverSecrets()
    {
        _dataDir.WriteFile("platform/alertmanager/secrets/slack_critical_webhook_url", Webhook.Url("slack/critical"));
        _dataDir.WriteFile("platform/alertmanager/secrets/slack_warning_webhook_url", Webhook.Url("slack/warning"));
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
