using System.Globalization;
using Warehouse.ProcessHost.Health;
using Warehouse.ProcessHost.Hosting;
using Warehouse.ProcessHost.Monitoring;
using Warehouse.ProcessHost.Processes;

namespace Warehouse.ProcessHost.Components;

/// <summary>Prometheus 2.42 with the file_sd run dir (<see cref="PrometheusLayout"/>), basic auth, lifecycle and admin APIs.</summary>
public sealed class PrometheusComponent(ComponentContext context) : ProcessComponent(ComponentNames.Prometheus, context)
{
    public override IReadOnlyList<string> RequiredBinaries => ["prometheus"];

    protected override IEnumerable<string> RequiredFiles => [Context.Paths.PrometheusConfigSource];

    protected override Task PrepareAsync(CancellationToken cancellationToken)
    {
        PrometheusLayout.Write(Context);
        return Task.CompletedTask;
    }

    protected override ProcessLaunch CreateLaunch()
    {
        var paths = Context.Paths;
        var resend = (int)Math.Max(1, Context.Options.AlertResendDelay.TotalSeconds);
        List<string> args =
        [
            $"--config.file={PrometheusLayout.ConfigFile(paths)}",
            $"--storage.tsdb.path={PrometheusLayout.StorageDir(paths)}",
            $"--storage.tsdb.retention.time={Context.Options.PrometheusRetention}",
            $"--web.listen-address=127.0.0.1:{Port}",
            $"--web.config.file={PrometheusLayout.WebConfigFile(paths)}",
            "--web.enable-lifecycle",
            "--web.enable-admin-api",
            $"--rules.alert.resend-delay={resend.ToString(CultureInfo.InvariantCulture)}s",
        ];
        args.AddRange(Context.Options.PrometheusExtraArgs);
        return new ProcessLaunch(Binary("prometheus"), args) { WorkingDirectory = paths.PrometheusDir };
    }

    protected override Task<bool> ProbeAsync(CancellationToken cancellationToken) =>
        Probes.HttpOkAsync(Url + "/-/ready", Context.Secrets.MonitoringAuthorizationHeader, cancellationToken);
}
