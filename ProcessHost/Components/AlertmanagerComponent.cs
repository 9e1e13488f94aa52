using Warehouse.ProcessHost.Health;
using Warehouse.ProcessHost.Hosting;
using Warehouse.ProcessHost.Monitoring;
using Warehouse.ProcessHost.Processes;
using Warehouse.ProcessHost.Secrets;

namespace Warehouse.ProcessHost.Components;

/// <summary>Alertmanager 0.25: no clustering, basic auth, config from monitoring/ (overridable for tests), see <see cref="AlertmanagerLayout"/>.</summary>
public sealed class AlertmanagerComponent(ComponentContext context) : ProcessComponent(ComponentNames.Alertmanager, context)
{
    public override IReadOnlyList<string> RequiredBinaries => ["prometheus-alertmanager"];

    protected override IEnumerable<string> RequiredFiles => [Context.Paths.AlertmanagerConfig];

    protected override Task PrepareAsync(CancellationToken cancellationToken)
    {
        AlertmanagerLayout.Write(Context.Paths, Context.Options.AlertRelayUrl, PlatformSecrets.MonitoringUser, Context.MonitoringPasswordHash);
        return Task.CompletedTask;
    }

    protected override ProcessLaunch CreateLaunch()
    {
        var paths = Context.Paths;
        return new ProcessLaunch(
            Binary("prometheus-alertmanager"),
            [
                $"--config.file={AlertmanagerLayout.ConfigFile(paths)}",
                $"--storage.path={AlertmanagerLayout.StorageDir(paths)}",
                $"--web.listen-address=127.0.0.1:{Port}",
                $"--web.external-url={Url}",
                "--cluster.listen-address=",
                $"--web.config.file={AlertmanagerLayout.WebConfigFile(paths)}",
            ])
        {
            WorkingDirectory = AlertmanagerLayout.RunDir(paths),
        };
    }

    protected override Task<bool> ProbeAsync(CancellationToken cancellationToken) =>
        Probes.HttpOkAsync(Url + "/-/ready", Context.Secrets.MonitoringAuthorizationHeader, cancellationToken);
}
