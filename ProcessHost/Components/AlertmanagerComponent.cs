using Warehouse.ProcessHost.Health;
using Warehouse.ProcessHost.Hosting;
using Warehouse.ProcessHost.Monitoring;
using Warehouse.ProcessHost.Processes;
using Warehouse.ProcessHost.Secrets;

namespace Warehouse.ProcessHost.Components;

/// <summary>Alertmanager 0.25: no clustering, basic auth, config from monitoring/ (overridable for tests).</summary>
public sealed class AlertmanagerComponent(ComponentContext context) : ProcessComponent(ComponentNames.Alertmanager, context)
{
    public override IReadOnlyList<string> RequiredBinaries => ["prometheus-alertmanager"];

    private string WebConfigFile => Path.Combine(Context.Paths.AlertmanagerDir, "web.yml");

    private string StorageDir => Path.Combine(Context.Paths.AlertmanagerDir, "data");

    protected override IEnumerable<string> RequiredFiles => [Context.Paths.AlertmanagerConfig];

    protected override Task PrepareAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(StorageDir);
        WebConfig.Write(WebConfigFile, PlatformSecrets.MonitoringUser, Context.MonitoringPasswordHash);
        return Task.CompletedTask;
    }

    protected override ProcessLaunch CreateLaunch() => new(
        Binary("prometheus-alertmanager"),
        [
            $"--config.file={Context.Paths.AlertmanagerConfig}",
            $"--storage.path={StorageDir}",
            $"--web.listen-address=127.0.0.1:{Port}",
            "--cluster.listen-address=",
            $"--web.config.file={WebConfigFile}",
        ])
    {
        WorkingDirectory = Context.Paths.AlertmanagerDir,
    };

    protected override Task<bool> ProbeAsync(CancellationToken cancellationToken) =>
        Probes.HttpOkAsync(Url + "/-/ready", Context.Secrets.MonitoringAuthorizationHeader, cancellationToken);
}
