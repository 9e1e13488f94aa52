using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Aspire.Hosting.ApplicationModel;
using Npgsql;
using Warehouse.Contracts.Hosting;
using Warehouse.Contracts.Security;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

/// <summary>
/// The whole platform through the AppHost (local flavour, Aspire.Hosting.Testing) on random ports in a temp dir,
/// as people run it: Alertmanager's receivers deliver to the platform's alert inbox (the tests read what arrived
/// there), and Postgres runs durable (fsync on). One copy of each service, with the per-user rate limit raised for test
/// traffic; <see cref="ReplicaPlatformFixture"/> runs copies.
/// </summary>
public class PlatformFixture : IAsyncLifetime
{
    /// <summary>The instances queries go to: the AppHost's primaries (AppHost/Monitoring/MonitoringTopology.cs).</summary>
    public const string PrimaryPrometheus = "prometheus-a";

    public const string PrimaryAlertmanager = "alertmanager-a";

    private readonly TempDir _dataDir = new("warehouse-e2e");
    private readonly IReadOnlyList<string> _arguments;
    private readonly Action<IDistributedApplicationTestingBuilder> _configure;
    private LocalAppHost? _host;
    private MonitoringClient? _monitoring;

    public PlatformFixture()
        : this([], RaiseRateLimits)
    {
    }

    /// <param name="arguments">More AppHost arguments, such as copies of services.</param>
    /// <param name="configure">Changes to the AppHost's model before it starts.</param>
    protected PlatformFixture(IReadOnlyList<string> arguments, Action<IDistributedApplicationTestingBuilder> configure)
    {
        _arguments = arguments;
        _configure = configure;
    }

    public string RepoRoot { get; } = Repository.Root;

    public PlatformSecrets Secrets { get; } = new();

    public LocalAppHost Host => _host ?? throw new InvalidOperationException("The platform is not running.");

    /// <summary>One client per start (a restart allocates new ports).</summary>
    public MonitoringClient Monitoring => _monitoring ??=
        new(Url(PrimaryPrometheus), Url(PrimaryAlertmanager), Secrets.MonitoringAuthorization);

    /// <summary>Where every receiver of Alertmanager delivers on this machine: webhook, Slack, PagerDuty, email.</summary>
    public AlertInboxClient Inbox => new(Host.Endpoint("alertinbox"));

    public string Gateway => Url("apigateway");

    /// <summary>Every gateway copy's address, <see cref="Gateway"/> first.</summary>
    public IReadOnlyList<string> Gateways => [.. CopiesOf("apigateway").Select(Url)];

    public string Url(string resource) => Host.Endpoint(resource).ToString().TrimEnd('/');

    /// <summary>
    /// Where a service answers <c>/health</c>, <c>/alive</c> and <c>/metrics</c>, as Prometheus probes it: its management
    /// endpoint if it has one (the gateway), else its http one (AppHost/Extensions/ServiceExtensions.cs).
    /// </summary>
    public Uri ManagementEndpoint(string resource) =>
        Host.Resources.Single(r => r.Name == resource).Annotations.OfType<EndpointAnnotation>().Any(e => e.Name == EndpointNames.Management)
            ? Host.Endpoint(resource, EndpointNames.Management)
            : Host.Endpoint(resource);

    /// <summary>The resources that are copies of <paramref name="service"/>: itself, then <c>service-2</c>, <c>-3</c>... (AppHost/Services).</summary>
    public IReadOnlyList<string> CopiesOf(string service) => CopiesOf(Host.Resources, service);

    public string Token(string role, string? warehouse = null, string? subject = null) =>
        TokenIssuer.Create(new JwtOptions { SigningKey = Secrets.JwtSigningKey }, subject ?? "tester", role, warehouse);

    /// <summary>A user's client through the gateway copy numbered <paramref name="gateway"/> (wrapping around the copies that run).</summary>
    public HttpClient Client(string role, string? warehouse = null, string? subject = null, int gateway = 0) =>
        new HttpClient { BaseAddress = new Uri(Gateways[gateway % Gateways.Count]), Timeout = TimeSpan.FromSeconds(30) }.WithToken(Token(role, warehouse, subject));

    /// <summary>The platform's database, as its services reach it (dispose after use).</summary>
    public async Task<NpgsqlDataSource> DatabaseAsync() => NpgsqlDataSource.Create(await Host.ConnectionStringAsync("warehousedb"));

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
    public virtual Task DisposeAsync() => Teardown.DisposeAllAsync(_monitoring, _host, _dataDir);

    private Task<LocalAppHost> StartAsync() => LocalAppHost.StartPlatformAsync(
        typeof(Projects.AppHost),
        _dataDir.Path,
        Secrets,
        [
            // Firing alerts are re-sent every 2 s instead of every minute, so a test sees a change within seconds.
            "--AppHost:Prometheus:Flags:0=--rules.alert.resend-delay=2s",
            .. _arguments,
        ],
        _configure);

    /// <summary>Test traffic comes from few users: the gateways' per-user limit is raised far above production's.</summary>
    private static void RaiseRateLimits(IDistributedApplicationTestingBuilder builder)
    {
        foreach (var gateway in CopiesOf(builder, "apigateway"))
        {
            builder.CreateResourceBuilder(gateway)
                .WithEnvironment("RateLimiting__PermitsPerSecond", "2000")
                .WithEnvironment("RateLimiting__Burst", "4000");
        }
    }

    /// <summary>The copies of <paramref name="service"/> in the AppHost's model, before it starts.</summary>
    protected static IEnumerable<ProjectResource> CopiesOf(IDistributedApplicationTestingBuilder builder, string service)
    {
        var projects = builder.Resources.OfType<ProjectResource>().ToList();
        return CopiesOf(projects, service).Select(name => projects.Single(r => r.Name == name));
    }

    private static List<string> CopiesOf(IEnumerable<IResource> resources, string service) =>
        [.. resources.Select(r => r.Name).Where(name => Regex.IsMatch(name, $"^{Regex.Escape(service)}(-[0-9]+)?$")).Order(StringComparer.Ordinal)];
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
