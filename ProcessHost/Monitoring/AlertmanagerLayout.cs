using System.Text.RegularExpressions;
using Warehouse.ProcessHost.Hosting;

namespace Warehouse.ProcessHost.Monitoring;

/// <summary>
/// Alertmanager run dir, mirroring the Prometheus one: <c>&lt;data&gt;/alertmanager/alertmanager.yml</c> (copied
/// verbatim), <c>templates</c> (symlink to the config's templates/), <c>secrets/</c> (the receiver secrets the
/// config names as <c>*_file: secrets/...</c>), <c>web.yml</c>, <c>data/</c>.
/// Missing secret files get placeholders: URLs point at a closed local port, keys are random, so no real
/// notification is sent and nothing leaks. Put real values in <c>&lt;data&gt;/alertmanager/secrets/</c> to get real
/// notifications; existing files are never overwritten.
/// </summary>
public static partial class AlertmanagerLayout
{
    public static string RunDir(PlatformPaths paths) => paths.AlertmanagerDir;

    public static string ConfigFile(PlatformPaths paths) => Path.Combine(paths.AlertmanagerDir, "alertmanager.yml");

    public static string WebConfigFile(PlatformPaths paths) => Path.Combine(paths.AlertmanagerDir, "web.yml");

    public static string StorageDir(PlatformPaths paths) => Path.Combine(paths.AlertmanagerDir, "data");

    public static void Write(PlatformPaths paths, string user, string bcryptHash)
    {
        var dir = RunDir(paths);
        Directory.CreateDirectory(StorageDir(paths));
        File.Copy(paths.AlertmanagerConfig, ConfigFile(paths), overwrite: true);

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

    /// <summary>File names referenced as <c>something_file: 'secrets/NAME'</c>.</summary>
    public static IEnumerable<string> SecretFiles(string config) =>
        SecretFileReference().Matches(config).Select(m => m.Groups["name"].Value).Distinct();

    private static string Placeholder(string name) =>
        name.Contains("url", StringComparison.OrdinalIgnoreCase)
            ? $"http://127.0.0.1:9/processhost-placeholder/{name}" // port 9 (discard): refused locally
            : "processhost-placeholder-" + Secrets.PlatformSecrets.RandomPassword(16);

    [GeneratedRegex(@"_file:\s*['""]?secrets/(?<name>[A-Za-z0-9_.\-]+)")]
    private static partial Regex SecretFileReference();
}
