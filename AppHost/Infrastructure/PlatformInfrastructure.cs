using AppHost.Monitoring;
using AppHost.Secrets;
using Warehouse.Contracts.Hosting;

namespace AppHost.Infrastructure;

/// <summary>
/// Postgres, Redis and the monitoring stack of one flavour. Whatever the flavour, a database and Redis are
/// resources with connection strings, so the services reference them the same way.
/// </summary>
internal abstract class PlatformInfrastructure(IDistributedApplicationBuilder builder, string dataDirectory)
{
    public IDistributedApplicationBuilder Builder { get; } = builder;

    /// <summary>The AppHost's state on this machine (<c>AppHost:DataDirectory</c>, default <c>.platform/</c> in the repository).</summary>
    public string DataDirectory { get; } = dataDirectory;

    /// <summary>Where the resource supervisor counts restarts, read by node_exporter's textfile collector.</summary>
    public string RestartCountsDirectory => Path.Combine(DataDirectory, "restarts");

    /// <summary>The Postgres server with <paramref name="database"/> on it, and Redis: the typed builders of this flavour.</summary>
    public abstract PlatformData AddData(string server, string database, string redis);

    /// <summary>Basic auth on Prometheus and Alertmanager, and the secrets Alertmanager's receivers read as files.</summary>
    public MonitoringSecrets CreateMonitoringSecrets(string localReceiverUrl) => new(
        Builder.AddGeneratedPassword(SecretNames.MonitoringPassword),
        [
            ("pagerduty_routing_key", Builder.AddReceiverSecret(SecretNames.PagerDutyRoutingKey, "local-no-pagerduty")),
            ("slack_critical_webhook_url", Builder.AddReceiverSecret(SecretNames.SlackCriticalWebhookUrl, localReceiverUrl + "slack/critical")),
            ("slack_warning_webhook_url", Builder.AddReceiverSecret(SecretNames.SlackWarningWebhookUrl, localReceiverUrl + "slack/warning")),
            ("smtp_password", Builder.AddGeneratedPassword(SecretNames.SmtpPassword)),
            ("webhook_token", Builder.AddGeneratedPassword(SecretNames.AlertWebhookToken)),
        ],
        // The dead man's switch: a heartbeat service outside the platform that pages when the Watchdog stops.
        Builder.AddReceiverSecret(SecretNames.HeartbeatUrl, localReceiverUrl + "heartbeat"));
}

/// <summary>
/// The data servers a flavour added, as the services reference them (connection strings), and the monitoring stack
/// that watches them, which needs the flavour's own typed builders: so it can only be added once they exist.
/// </summary>
internal abstract record PlatformData(IResourceBuilder<IResourceWithConnectionString> Database, IResourceBuilder<IResourceWithConnectionString> Redis)
{
    /// <summary>The monitoring stack watching <paramref name="services"/>; run mode only (a deployment brings its own).</summary>
    public abstract MonitoringResources AddMonitoring(IReadOnlyList<IResourceBuilder<ProjectResource>> services);
}
