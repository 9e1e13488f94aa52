using AppHost.Monitoring;
using AppHost.Secrets;

namespace AppHost.Infrastructure;

/// <summary>
/// Postgres, Redis and the monitoring stack of one flavour. Whatever the flavour, a database and Redis are
/// resources with connection strings, so the services reference them the same way.
/// </summary>
internal abstract class PlatformInfrastructure(IDistributedApplicationBuilder builder, string dataDirectory)
{
    protected IDistributedApplicationBuilder Builder { get; } = builder;

    /// <summary>The AppHost's state on this machine (<c>AppHost:DataDirectory</c>, default <c>.platform/</c> in the repository).</summary>
    public string DataDirectory { get; } = dataDirectory;

    /// <summary>Where the resource supervisor counts restarts, read by node_exporter's textfile collector.</summary>
    public string RestartCountsDirectory => Path.Combine(DataDirectory, "restarts");

    public abstract IResourceBuilder<IResourceWithConnectionString> AddDatabase(string server, string database);

    public abstract IResourceBuilder<IResourceWithConnectionString> AddRedis(string name);

    /// <summary>The monitoring stack watching <paramref name="services"/>; run mode only (a deployment brings its own).</summary>
    public abstract void AddMonitoring(IReadOnlyList<IResourceBuilder<ProjectResource>> services);

    /// <summary>Basic auth on Prometheus and Alertmanager, and the secrets Alertmanager's receivers read as files.</summary>
    protected MonitoringSecrets CreateMonitoringSecrets(string localReceiverUrl) => new(
        Builder.AddGeneratedPassword("monitoring-password"),
        [
            ("pagerduty_routing_key", Builder.AddReceiverSecret("pagerduty-routing-key", "local-no-pagerduty")),
            ("slack_critical_webhook_url", Builder.AddReceiverSecret("slack-critical-webhook-url", localReceiverUrl + "slack/critical")),
            ("slack_warning_webhook_url", Builder.AddReceiverSecret("slack-warning-webhook-url", localReceiverUrl + "slack/warning")),
            ("smtp_password", Builder.AddGeneratedPassword("smtp-password")),
            ("webhook_token", Builder.AddGeneratedPassword("alert-webhook-token")),
        ],
        // The dead man's switch: a heartbeat service outside the platform that pages when the Watchdog stops.
        Builder.AddReceiverSecret("heartbeat-url", localReceiverUrl + "heartbeat"));
}
