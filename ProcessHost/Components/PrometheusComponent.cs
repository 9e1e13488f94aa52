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

    /// <summary>
    /// Flags, later ones winning per flag name: ours (paths, listen address, auth), defaults, the flags file next
    /// to the config (<c>monitoring/prometheus/prometheus.flags</c>: retention, resend delay, ...), then
    /// <see cref="PlatformOptions.AlertResendDelay"/> and <see cref="PlatformOptions.PrometheusExtraArgs"/>.
    /// </summary>
    protected override ProcessLaunch CreateLaunch()
    {
        var paths = Context.Paths;
        var flags = new List<string>
        {
            $"--config.file={PrometheusLayout.ConfigFile(paths)}",
            $"--storage.tsdb.path={PrometheusLayout.StorageDir(paths)}",
            $"--web.listen-address=127.0.0.1:{Port}",
            $"--web.external-url={Url}",
            $"--web.config.file={PrometheusLayout.WebConfigFile(paths)}",
            "--web.enable-lifecycle",
            "--web.enable-admin-api",
            "--storage.tsdb.retention.time=15d",
            "--rules.alert.resend-delay=1m",
        };
        var flagsFile = Path.Combine(Path.GetDirectoryName(paths.PrometheusConfigSource)!, "prometheus.flags");
        if (File.Exists(flagsFile))
        {
            flags.AddRange(File.ReadAllLines(flagsFile).Select(l => l.Trim()).Where(l => l.StartsWith("--", StringComparison.Ordinal)));
        }

        if (Context.Options.AlertResendDelay is { } resend)
        {
            flags.Add($"--rules.alert.resend-delay={((int)Math.Max(1, resend.TotalSeconds)).ToString(CultureInfo.InvariantCulture)}s");
        }

        flags.AddRange(Context.Options.PrometheusExtraArgs);
        return new ProcessLaunch(Binary("prometheus"), LastWins(flags)) { WorkingDirectory = paths.PrometheusDir };
    }

    /// <summary>Keeps the last occurrence of each <c>--name</c>, in first-seen order; the owned flags cannot be overridden.</summary>
    private static List<string> LastWins(IEnumerable<string> flags)
    {
        string[] owned = ["--config.file", "--storage.tsdb.path", "--web.listen-address", "--web.config.file"];
        var byName = new Dictionary<string, string>();
        var order = new List<string>();
        foreach (var flag in flags)
        {
            var name = flag.Split('=', 2)[0];
            if (!byName.ContainsKey(name))
            {
                order.Add(name);
            }
            else if (owned.Contains(name))
            {
                continue;
            }

            byName[name] = flag;
        }

        return order.Select(n => byName[n]).ToList();
    }

    protected override Task<bool> ProbeAsync(CancellationToken cancellationToken) =>
        Probes.HttpOkAsync(Url + "/-/ready", Context.Secrets.MonitoringAuthorizationHeader, cancellationToken);
}
