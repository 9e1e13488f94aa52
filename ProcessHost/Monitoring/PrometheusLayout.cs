using System.Text.Json;
using System.Text.Json.Nodes;
using Warehouse.ProcessHost.Components;
using Warehouse.ProcessHost.Hosting;
using Warehouse.ProcessHost.Secrets;

namespace Warehouse.ProcessHost.Monitoring;

/// <summary>
/// Prometheus run dir (ProcessHost/README.md):
/// <c>prometheus.yml</c> (copied verbatim), <c>rules</c> (symlink), <c>targets/&lt;job&gt;.json</c> (file_sd with the
/// real ports), <c>secrets/monitoring_password</c>, <c>web.yml</c>.
/// </summary>
public static class PrometheusLayout
{
    /// <summary>file_sd jobs whose file holds one plain target; the key is the job, the value the component.</summary>
    public static readonly IReadOnlyDictionary<string, string> SimpleJobs = new Dictionary<string, string>
    {
        ["apigateway"] = ComponentNames.ApiGateway,
        ["taskservice"] = ComponentNames.TaskService,
        ["importservice"] = ComponentNames.ImportService,
        ["realtimeworker"] = ComponentNames.RealtimeWorker,
        ["node"] = ComponentNames.NodeExporter,
        ["postgres"] = ComponentNames.PostgresExporter,
        ["redis"] = ComponentNames.RedisExporter,
        ["prometheus"] = ComponentNames.Prometheus,
        ["alertmanager"] = ComponentNames.Alertmanager,
        ["alertmanagers"] = ComponentNames.Alertmanager,
    };

    public static readonly IReadOnlyList<string> ProbePaths = ["alive", "health"];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string ConfigFile(PlatformPaths paths) => Path.Combine(paths.PrometheusDir, "prometheus.yml");

    public static string WebConfigFile(PlatformPaths paths) => Path.Combine(paths.PrometheusDir, "web.yml");

    public static string StorageDir(PlatformPaths paths) => Path.Combine(paths.PrometheusDir, "data");

    public static string TargetsDir(PlatformPaths paths) => Path.Combine(paths.PrometheusDir, "targets");

    public static void Write(ComponentContext context)
    {
        var paths = context.Paths;
        if (!File.Exists(paths.PrometheusConfigSource))
        {
            throw new PlatformException($"{ComponentNames.Prometheus}: configuration file {paths.PrometheusConfigSource} does not exist.");
        }

        Directory.CreateDirectory(paths.PrometheusDir);
        Directory.CreateDirectory(StorageDir(paths));
        File.Copy(paths.PrometheusConfigSource, ConfigFile(paths), overwrite: true);

        // No rules yet: an empty dir, so "rules/*.yml" matches nothing.
        Links.Replace(Path.Combine(paths.PrometheusDir, "rules"), Directory.Exists(paths.PrometheusRulesSource) ? paths.PrometheusRulesSource : null);

        var secrets = Path.Combine(paths.PrometheusDir, "secrets");
        Directory.CreateDirectory(secrets);
        var passwordFile = Path.Combine(secrets, "monitoring_password");
        File.WriteAllText(passwordFile, "");
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(passwordFile, context.Secrets.MonitoringPassword);

        WebConfig.Write(WebConfigFile(paths), PlatformSecrets.MonitoringUser, context.MonitoringPasswordHash);
        WriteTargets(context);
    }

    /// <summary>(Re)writes targets/*.json; Prometheus picks changes up on its own (file_sd watches the files).</summary>
    public static void WriteTargets(ComponentContext context)
    {
        var dir = TargetsDir(context.Paths);
        Directory.CreateDirectory(dir);
        var includeServices = context.Options.IncludeServices;
        foreach (var (job, component) in SimpleJobs)
        {
            var skip = ComponentNames.Services.Contains(component) && !includeServices;
            var groups = skip
                ? new JsonArray()
                : new JsonArray(new JsonObject { ["targets"] = new JsonArray($"127.0.0.1:{context.Ports[component]}") });
            WriteJson(Path.Combine(dir, job + ".json"), groups);
        }

        var probes = new JsonArray();
        if (includeServices)
        {
            foreach (var service in ComponentNames.Services)
            {
                foreach (var probe in ProbePaths)
                {
                    probes.Add(new JsonObject
                    {
                        ["targets"] = new JsonArray($"127.0.0.1:{context.Ports[ComponentNames.BlackboxExporter]}"),
                        ["labels"] = new JsonObject
                        {
                            ["__param_target"] = $"http://127.0.0.1:{context.Ports[service]}/{probe}",
                            ["__param_module"] = "http_2xx",
                            ["service"] = service,
                            ["probe"] = probe,
                        },
                    });
                }
            }
        }

        WriteJson(Path.Combine(dir, "blackbox.json"), probes);
    }

    private static void WriteJson(string path, JsonNode node)
    {
        // Write-then-rename: file_sd must never read a half-written file.
        var temp = path + ".tmp";
        File.WriteAllText(temp, node.ToJsonString(Indented) + "\n");
        File.Move(temp, path, overwrite: true);
    }
}
