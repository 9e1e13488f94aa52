using System.Text.RegularExpressions;
using Warehouse.ProcessHost.Hosting;

namespace Warehouse.ProcessHost.Monitoring;

/// <summary>
/// Alertmanager run dir, mirroring the Prometheus one: <c>&lt;data&gt;/alertmanager/alertmanager.yml</c> (copied
/// verbatim), <c>templates</c> (symlink to the config's templates/), <c>secrets/</c> (the receiver secrets the
/// config names as <c>*_file: secrets/...</c>), <c>web.yml</c>, <c>data/</c>.
/// Missing secret files get placeholders: URLs point at a closed local port, keys are random, so no real
/// notification is sent and nothing leaks. Put real values in <c>&lt;data&gt;/alertmanager/secrets/</c> to get real
/// Slack notifications; existing files are never overwritten.
/// The copy is localised: the alert relay's URL becomes <see cref="PlatformOptions.AlertRelayUrl"/>, and PagerDuty
/// and SMTP point at a closed local port, so a development or CI machine never tries to reach them.
/// </summary>
public static partial class AlertmanagerLayout
{
    public static string RunDir(PlatformPaths paths) => paths.AlertmanagerDir;

    public static string ConfigFile(PlatformPaths paths) => Path.Combine(paths.AlertmanagerDir, "alertmanager.yml");

    public static string WebConfigFile(PlatformPaths paths) => Path.Combine(paths.AlertmanagerDir, "web.yml");

    public static string StorageDir(PlatformPaths paths) => Path.Combine(paths.AlertmanagerDir, "data");

    public const string RelayUrl = "http://alert-relay:9095/";

    private const string ClosedLocalPort = "127.0.0.1:9"; // discard: refused locally

    public static void Write(PlatformPaths paths, string? alertRelayUrl, string user, string bcryptHash)
    {
        var dir = RunDir(paths);
        Directory.CreateDirectory(StorageDir(paths));
        File.WriteAllText(ConfigFile(paths), Localise(File.ReadAllText(paths.AlertmanagerConfig), alertRelayUrl));

        var templatesSource = Path.Combine(Path.GetDirectoryName(paths.AlertmanagerConfig)!, "templates");
        Links.Replace(Path.Combine(dir, "templates"), Directory.Exists(templatesSource) ? templatesSource : null);

        var secrets = Path.Combine(dir, "secrets");
        Directory.CreateDirectory(secrets);
        File.SetUnixFileMode(secrets, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var name in SecretFiles(File.ReadAllText(paths.AlertmanagerConfig)))
        {
            var file = Path.Combine(secrets, name);
            if (!File.Exists(file))
            {
                File.WriteAllText(file, Placeholder(name));
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        WebConfig.Write(WebConfigFile(paths), user, bcryptHash);
    }

    /// <summary>The relay URL replaced, PagerDuty and SMTP sent to a closed local port (the first lines of <c>global:</c>).</summary>
    public static string Localise(string config, string? alertRelayUrl)
    {
        var relay = alertRelayUrl ?? $"http://{ClosedLocalPort}/alert-relay/";
        var localised = config.Replace(RelayUrl, relay.EndsWith('/') ? relay : relay + "/", StringComparison.Ordinal);
        localised = SmtpSmarthost().Replace(localised, $"smtp_smarthost: '{ClosedLocalPort}'");
        return GlobalSection().Replace(localised, $"global:\n  pagerduty_url: 'http://{ClosedLocalPort}/pagerduty/'\n", 1);
    }

    /// <summary>File names referenced as <c>something_file: 'secrets/NAME'</c>.</summary>
    public static IEnumerable<string> SecretFiles(string config) =>
        SecretFileReference().Matches(config).Select(m => m.Groups["name"].Value).Distinct();

    private static string Placeholder(string name) =>
        name.Contains("url", StringComparison.OrdinalIgnoreCase)
            ? $"http://127.0.0.1:9/processhost-placeholder/{name}" // port 9 (discard): refused locally
            : "processhost-placeholder-" + Secrets.PlatformSecrets.RandomPassword(16);

    [GeneratedRegex(@"_file:\s*['""]?secrets/(?<name>[A-Za-z0-9_.\-]+)")]
    private static partial Regex SecretFileReference();

    [GeneratedRegex(@"smtp_smarthost:\s*\S+")]
    private static partial Regex SmtpSmarthost();

    [GeneratedRegex(@"^global:\s*\n", RegexOptions.Multiline)]
    private static partial Regex GlobalSection();
}
