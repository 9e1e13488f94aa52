namespace Monitoring.Tests.Infrastructure;

/// <summary>A real blackbox exporter on a free loopback port, with monitoring/blackbox/blackbox.yml.</summary>
public sealed class BlackboxExporterInstance : IAsyncDisposable
{
    private BlackboxExporterInstance(ServerProcess process, int port)
    {
        Process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public ServerProcess Process { get; }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public HttpClient Client { get; }

    public static async Task<BlackboxExporterInstance> StartAsync()
    {
        var port = FreePort.Next();
        var process = ServerProcess.Start(
            "prometheus-blackbox-exporter",
            [$"--config.file={Path.Combine(RepoPaths.Monitoring, "blackbox", "blackbox.yml")}", $"--web.listen-address=127.0.0.1:{port}"],
            RepoPaths.Root);
        var instance = new BlackboxExporterInstance(process, port);
        try
        {
            await process.WaitUntilReadyAsync(instance.Client, "metrics");
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }

        return instance;
    }

    /// <summary>Probes <paramref name="target"/> with <paramref name="module"/> and returns the exposition text.</summary>
    public Task<string> ProbeAsync(string target, string module = "http_2xx") =>
        Client.GetStringAsync($"probe?module={module}&target={Uri.EscapeDataString(target)}");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Process.DisposeAsync();
    }
}
