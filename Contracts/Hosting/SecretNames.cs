namespace Warehouse.Contracts.Hosting;

/// <summary>
/// The AppHost's secret parameters (<c>Parameters:&lt;name&gt;</c>), written once for the AppHost and the tests that
/// start it with throwaway values.
/// </summary>
public static class SecretNames
{
    public const string JwtSigningKey = "jwt-signing-key";
    public const string MonitoringPassword = "monitoring-password";
    public const string PagerDutyRoutingKey = "pagerduty-routing-key";
    public const string SlackCriticalWebhookUrl = "slack-critical-webhook-url";
    public const string SlackWarningWebhookUrl = "slack-warning-webhook-url";
    public const string SmtpPassword = "smtp-password";
    public const string AlertWebhookToken = "alert-webhook-token";
    public const string HeartbeatUrl = "heartbeat-url";

    /// <summary>The containers flavour's Grafana.</summary>
    public const string GrafanaAdminPassword = "grafana-admin-password";

    /// <summary>Every flavour's secrets; each flavour adds its own (<see cref="PasswordOf"/>, <see cref="GrafanaAdminPassword"/>).</summary>
    public static readonly IReadOnlyList<string> Platform =
    [
        JwtSigningKey, MonitoringPassword, PagerDutyRoutingKey, SlackCriticalWebhookUrl, SlackWarningWebhookUrl,
        SmtpPassword, AlertWebhookToken, HeartbeatUrl,
    ];

    /// <summary>The password of a server the local flavour runs (<c>postgres-password</c>, <c>redis-password</c>).</summary>
    public static string PasswordOf(string server) => $"{server}-password";
}
