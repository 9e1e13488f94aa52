using Warehouse.ProcessHost.Hosting;

namespace Warehouse.ProcessHost.Cli;

/// <summary>The table of URLs printed once everything is healthy.</summary>
public static class EndpointTable
{
    public static string Render(Platform platform)
    {
        var pids = platform.ProcessIds;
        var times = platform.StartTimes;
        var rows = platform.Components
            .Select(c => (c.Name, c.Url, Pid: pids.TryGetValue(c.Name, out var p) ? p.ToString() : "-",
                Ready: times.TryGetValue(c.Name, out var t) ? $"{t.TotalMilliseconds:0} ms" : "-"))
            .ToList();
        var nameWidth = Math.Max(9, rows.Max(r => r.Name.Length));
        var urlWidth = Math.Max(3, rows.Max(r => r.Url.Length));
        var writer = new StringWriter();
        writer.WriteLine();
        writer.WriteLine($"{"component".PadRight(nameWidth)}  {"url".PadRight(urlWidth)}  {"pid",7}  {"ready in",9}");
        writer.WriteLine($"{new string('-', nameWidth)}  {new string('-', urlWidth)}  {new string('-', 7)}  {new string('-', 9)}");
        foreach (var row in rows)
        {
            writer.WriteLine($"{row.Name.PadRight(nameWidth)}  {row.Url.PadRight(urlWidth)}  {row.Pid,7}  {row.Ready,9}");
        }

        writer.WriteLine();
        if (times.TryGetValue("total", out var total))
        {
            writer.WriteLine($"All healthy in {total.TotalSeconds:0.00} s. Endpoints: {platform.Paths.EndpointsFile}");
        }

        writer.WriteLine($"Prometheus/Alertmanager login: user '{Secrets.PlatformSecrets.MonitoringUser}', password in {platform.Paths.SecretsFile}");
        var defaultDataDir = Path.Combine(platform.Paths.RepoRoot, ".platform");
        var dataDirArg = platform.Paths.DataDir == defaultDataDir ? "" : $" --data-dir {platform.Paths.DataDir}";
        writer.WriteLine($"A token for the gateway: dotnet run --project ProcessHost -- token --role operator{dataDirArg}");
        writer.WriteLine("Logs: " + platform.Paths.LogsDir + "    Stop: Ctrl+C");
        return writer.ToString();
    }
}
