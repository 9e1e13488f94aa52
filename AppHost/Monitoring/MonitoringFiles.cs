using System.Text.RegularExpressions;

namespace AppHost.Monitoring;

/// <summary>What both flavours derive from the repository's <c>monitoring/</c> folder.</summary>
internal static partial class MonitoringFiles
{
    /// <summary>The in-cluster relay alertmanager.yml names; a local run delivers elsewhere (<see cref="Localise"/>).</summary>
    public const string RelayUrl = "http://alert-relay:9095/";

    /// <summary>The heartbeat receiver's URL in alertmanager.yml, replaced by the heartbeat-url secret (<see cref="WithHeartbeat"/>).</summary>
    public const string HeartbeatUrlPlaceholder = "https://heartbeat.invalid/warehouse-platform";

    /// <summary>Refused on any machine (the discard port): where local notifications go when nothing receives them.</summary>
    public const string ClosedLocalPort = "127.0.0.1:9";

    public static string Directory(IDistributedApplicationBuilder builder) =>
        Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "monitoring"));

    /// <summary>
    /// alertmanager.yml for a machine that is not the deployment: the relay's URL becomes <paramref name="relayUrl"/>,
    /// PagerDuty's events URL and the SMTP smarthost become the local alert inbox (plain SMTP on loopback, so no TLS),
    /// so every notification is delivered and none leaves the machine.
    /// </summary>
    public static string Localise(string config, string relayUrl, string inboxUrl, string inboxSmtp)
    {
        var localised = config.Replace(RelayUrl, relayUrl.EndsWith('/') ? relayUrl : relayUrl + "/", StringComparison.Ordinal);
        localised = SmtpSmarthost().Replace(localised, $"smtp_smarthost: '{inboxSmtp}'");
        localised = SmtpRequireTls().Replace(localised, "smtp_require_tls: false");
        return GlobalSection().Replace(localised, $"global:\n  pagerduty_url: '{inboxUrl}pagerduty/'\n", 1);
    }

    /// <summary>alertmanager.yml with the dead man's switch pointed at <paramref name="heartbeatUrl"/>.</summary>
    public static string WithHeartbeat(string config, string heartbeatUrl) =>
        config.Contains(HeartbeatUrlPlaceholder, StringComparison.Ordinal)
            ? config.Replace(HeartbeatUrlPlaceholder, heartbeatUrl, StringComparison.Ordinal)
            : throw new InvalidOperationException($"alertmanager.yml has no heartbeat receiver URL {HeartbeatUrlPlaceholder} to replace.");

    /// <summary>File names alertmanager.yml reads as <c>something_file: 'secrets/NAME'</c>.</summary>
    public static IEnumerable<string> SecretFiles(string config) =>
        SecretFileReference().Matches(config).Select(m => m.Groups["name"].Value).Distinct();

    [GeneratedRegex(@"_file:\s*['""]?secrets/(?<name>[A-Za-z0-9_.\-]+)")]
    private static partial Regex SecretFileReference();

    [GeneratedRegex(@"smtp_smarthost:\s*\S+")]
    private static partial Regex SmtpSmarthost();

    [GeneratedRegex(@"smtp_require_tls:\s*\S+")]
    private static partial Regex SmtpRequireTls();

    [GeneratedRegex(@"^global:\s*\n", RegexOptions.Multiline)]
    private static partial Regex GlobalSection();
}
