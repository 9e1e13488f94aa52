using AppHost.Extensions;
using AppHost.Infrastructure;
using AppHost.Services;

namespace AppHost.Monitoring;

/// <summary>
/// The local flavour's receiver: Alertmanager's webhook, Slack, PagerDuty and email notifications of a machine that
/// is not the deployment all arrive in the alert inbox (AlertInbox/), so a person sees every delivered alert in the
/// dashboard (its console log, and <c>/deliveries</c>) without configuring Slack or PagerDuty, and nothing fails to
/// send. A deployment configures the real receivers instead (secret parameters).
/// </summary>
internal static class AlertInboxExtensions
{
    public const string SmtpEndpointName = "smtp";

    /// <summary>
    /// Stands in a receiver secret's local default for the inbox's URL, which is known only once its port is allocated;
    /// Alertmanager's secret files get the real URL when it starts.
    /// </summary>
    public const string UrlPlaceholder = "http://alertinbox.local/";

    public static IResourceBuilder<ProjectResource> AddAlertInbox(this IDistributedApplicationBuilder builder, string name)
    {
        var smtpPort = SeedPorts.Fixed(builder, 2525);
        return builder.AddProject<Projects.AlertInbox>(name, launchProfileName: null)
            .WithBuildOutputLaunch()
            .WithSeededHttpEndpoint("http", seedPort: 9097)
            .WithEndpoint(port: smtpPort, targetPort: smtpPort, scheme: "tcp", name: SmtpEndpointName, env: "Inbox__SmtpPort", isProxied: smtpPort is null)
            .WithHttpHealthCheck("/health")
            .WithUrlForEndpoint("http", url => (url.Url, url.DisplayText) = ("/deliveries", "Delivered alerts"));
    }

    /// <summary>The inbox's http base URL (with a trailing slash) and SMTP host:port, once allocated.</summary>
    public static (string Url, string Smtp) Addresses(this IResourceBuilder<ProjectResource> inbox)
    {
        var smtp = inbox.GetEndpoint(SmtpEndpointName);
        return (inbox.GetEndpoint("http").Url.TrimEnd('/') + "/", $"127.0.0.1:{smtp.Port}");
    }
}
