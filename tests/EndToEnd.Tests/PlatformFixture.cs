using Aspire.Hosting;
using Warehouse.Contracts.Security;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

/// <summary>
/// The whole platform through the AppHost (local flavour, Aspire.Hosting.Testing) on random ports in a temp dir,
/// as people run it: Alertmanager's receivers deliver to the platform's alert inbox (the tests read what arrived
/// there), and Postgres runs durable (fsync on).
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    /// <summary>The instances queries go to: the AppHost's primaries (AppHost/Monitoring/MonitoringTopology.cs).</summary>
    public const string PrimaryPrometheus = "prometheus-a";

    public const string PrimaryAlertmanager = "alertmanager-a";

    private readonly TempDir _dataDir = new("warehouse-e2e");
    private LocalAppHost? _host;
    private MonitoringClient? _monitoring;

    public string RepoRoot { get; } = Repository.Root;

    public PlatformSecrets Secrets { get; } = new();

    public LocalAppHost Host => _host ?? throw new InvalidOperationException("The platform is not running.");

    /// <summary>One client per start (a restart allocates new ports).</summary>
    public MonitoringClient Monitoring => _monitoring ??=
        new(Url(PrimaryPrometheus), Url(PrimaryAlertmanager), Secrets.MonitoringAuthorization);

    /// <summary>Where every receiver of Alertmanager delivers on this machine: webhook, Slack, PagerDuty, email.</summary>
    public AlertInboxClient Inbox => new(Host.Endpoint("alertinbox"));

    public string Gateway => Url("apigateway");

    public string Url(string resource) => Host.Endpoint(resource).ToString().TrimEnd('/');

    public string Token(string role, string? warehouse = null, string? subject = null) =>
        TokenIssuer.Create(new JwtOptions { SigningKey = Secrets.JwtSigningKey }, subject ?? "tester", role, warehouse);

    public HttpClient Client(string role, string? warehouse = null, string? subject = null) =>
        new HttpClient { BaseAddress = new Uri(Gateway), Timeout = TimeSpan.FromSeconds(30) }.WithToken(Token(role, warehouse, subject));

    /// <summary>A client that calls a service directly, bypassing the gateway's rate limits (for floods of test traffic).</summary>
    public HttpClient ServiceClient(string service, string role, string warehouse) =>
        new HttpClient { BaseAddress = new Uri(Url(service)), Timeout = TimeSpan.FromSeconds(30) }.WithToken(Token(role, warehouse));

    public async Task InitializeAsync() => _host = await StartAsync();

    /// <summary>Stops the whole platform and starts a new AppHost on the same data dir, as a person would.</summary>
    public async Task RestartPlatformAsync()
    {
        await Teardown.DisposeAllAsync(_monitoring, _host);
        (_monitoring, _host) = (null, null);
        _host = await StartAsync();
    }

    /// <summary>Stops the platform and removes the temp dir, each even when the other fails.</summary>
    public Task DisposeAsync() => Teardown.DisposeAllAsync(_monitoring, _host, _dataDir);

    private Task<LocalAppHost> StartAsync() => LocalAppHost.StartPlatformAsync(
        typeof(Projects.AppHost),
        _dataDir.Path,
        Secrets,
        [
            // Firing alerts are re-sent every 2 s instead of every minute, so a test sees a change within seconds.
            "--AppHost:Prometheus:Flags:0=--rules.alert.resend-delay=2s",
        ],
        builder =>
        {
            // Test traffic comes from one user; production limits stay as configured.
            builder.CreateResourceBuilder(builder.Resources.OfType<Aspire.Hosting.ApplicationModel.ProjectResource>().Single(r => r.Name == "apigateway"))
                .WithEnvironment("RateLimiting__PermitsPerSecond", "2000")
                .WithEnvironment("RateLimiting__Burst", "4000");
        });
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
