using Warehouse.Testing;

namespace Monitoring.Tests.Infrastructure;

/// <summary>A real blackbox exporter on a free loopback port, with monitoring/blackbox/blackbox.yml.</summary>
public sealed class BlackboxExporterInstance : ServerInstance
{
    private BlackboxExporterInstance(ServerProcess process, int port)
        : base(process, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) }, port, dir: null)
    {
    }

    public static Task<BlackboxExporterInstance> StartAsync() => StartOnFreePortAsync(async port =>
    {
        var process = ServerProcess.Start(
            "prometheus-blackbox-exporter",
            [$"--config.file={Path.Combine(RepoPaths.Monitoring, "blackbox", "blackbox.yml")}", $"--web.listen-address=127.0.0.1:{port}"],
            RepoPaths.Root);
        return await WhenReadyAsync(new BlackboxExporterInstance(process, port), "metrics", TimeSpan.FromSeconds(20));
    });

    /// <summary>Probes <paramref name="target"/> with <paramref name="module"/> and returns the exposition text.</summary>
    public Task<string> ProbeAsync(string target, string module = "http_2xx") =>
        Client.GetStringAsync($"probe?module={module}&target={Uri.EscapeDataString(target)}");
}
