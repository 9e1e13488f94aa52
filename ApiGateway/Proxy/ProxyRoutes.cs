using Warehouse.Security;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;

namespace Warehouse.ApiGateway.Proxy;

/// <summary>
/// The public surface: only /api, /hubs and the services' OpenAPI documents are routed. The services'
/// /metrics, /health and /alive stay internal because no route matches them.
/// </summary>
public static class ProxyRoutes
{
    public static readonly string[] Services = ["taskservice", "importservice", "realtimeworker"];

    private const string Authenticated = "default";

    public static IReadOnlyList<RouteConfig> Routes() =>
    [
        Route("tasks", "taskservice", "/api/tasks/{**rest}", Authenticated),
        Route("scan", "taskservice", "/api/scan", Policies.Operations),
        Route("imports", "importservice", "/api/imports/{**rest}", Policies.Planning),
        Route("hubs", "realtimeworker", "/hubs/{**rest}", Authenticated),
        .. Services.Where(s => s != "realtimeworker").Select(s => Route($"openapi-{s}", s, $"/openapi/{s}.json", Authenticated) with
        {
            Transforms = [new Dictionary<string, string> { ["PathSet"] = "/openapi/v1.json" }],
        }),
    ];

    /// <summary>The cookie that keeps a realtime client on the worker it negotiated with.</summary>
    public const string RealtimeAffinityCookie = ".Warehouse.Realtime";

    /// <summary>
    /// How soon a dead copy leaves the balancing: every gateway probes each destination's <c>/alive</c> every 2 s, and
    /// one probe refused or unanswered within 1 s takes the copy out until a probe succeeds again. With every copy out,
    /// YARP uses them all (HealthyOrPanic): a service with one copy fails as before, 502 naming it. Without probes a
    /// refused connection never takes a copy out (YARP's passive policy weighs failures against a minute of requests),
    /// and power of two choices even prefers the dead copy, which has no request in flight: a third of the scans failed
    /// while one of two task-service copies restarted (ReplicaScenarios). A killed copy's requests in flight still fail;
    /// the gateway does not retry them (docs/apphost.md, "Copies of a service").
    /// </summary>
    private static readonly HealthCheckConfig DestinationHealth = new()
    {
        Active = new ActiveHealthCheckConfig
        {
            Enabled = true,
            Interval = TimeSpan.FromSeconds(2),
            Timeout = TimeSpan.FromSeconds(1),
            Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
            Path = "/alive",
        },
    };

    /// <summary>
    /// One cluster per service; service discovery resolves <c>http://{service}</c> to every copy's endpoint, each a
    /// destination. The realtime cluster is sticky: SignalR's negotiate and the connection that follows (and a long-polling
    /// client's every request) must reach the same worker. The cookie names a destination by a hash of its id, which every
    /// gateway copy derives alike from the same configuration, so a client stays on its worker through any gateway. When
    /// that worker is gone, YARP picks another and rewrites the cookie; the client reconnects and resynchronises.
    /// </summary>
    public static IReadOnlyList<ClusterConfig> Clusters() =>
        Services.Select(service => new ClusterConfig
        {
            ClusterId = service,
            Destinations = new Dictionary<string, DestinationConfig>
            {
                [service] = new() { Address = ServiceAddress(service) },
            },
            HealthCheck = DestinationHealth,
            Metadata = new Dictionary<string, string> { [ConsecutiveFailuresHealthPolicyOptions.ThresholdMetadataName] = "1" },
            SessionAffinity = service != "realtimeworker" ? null : new SessionAffinityConfig
            {
                Enabled = true,
                Policy = "HashCookie",
                FailurePolicy = "Redistribute",
                AffinityKeyName = RealtimeAffinityCookie,
                Cookie = new SessionAffinityCookieConfig { HttpOnly = true, SameSite = SameSiteMode.Lax },
            },
        }).ToList();

    public static string ServiceAddress(string service) => $"http://{service}";

    private static RouteConfig Route(string id, string cluster, string path, string policy) => new()
    {
        RouteId = id,
        ClusterId = cluster,
        AuthorizationPolicy = policy,
        Match = new RouteMatch { Path = path },
    };
}
