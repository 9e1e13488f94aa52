using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Warehouse.Hosting.Monitoring.Exporters;
using Warehouse.Testing;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// A real blackbox exporter (Debian's package) with monitoring/blackbox/blackbox.yml, started by the AppHost's own resource
/// (Warehouse.Hosting's AddLocalBlackboxExporter: its <c>/metrics</c> health) in the tests' MonitoringHost, on a port the
/// orchestrator allocates.
/// </summary>
public sealed class BlackboxExporterInstance : IAsyncDisposable
{
    private const string Name = "blackbox-exporter";

    private readonly LocalAppHost _host;

    private BlackboxExporterInstance(LocalAppHost host)
    {
        _host = host;
        Client = new HttpClient { BaseAddress = host.Endpoint(Name), Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Based at the exporter's URL (no auth, as in the AppHost).</summary>
    public HttpClient Client { get; }

    public static async Task<BlackboxExporterInstance> StartAsync() =>
        new(await MonitoringHost.StartAsync(auth: null, builder => AddTo(builder)));

    /// <summary>The exporter as a resource of <paramref name="builder"/>, for a Prometheus in the same host to probe through.</summary>
    public static IResourceBuilder<LocalExporterResource> AddTo(IDistributedApplicationBuilder builder) =>
        // It writes nothing: the repository's root is as good a working directory as any.
        builder.AddLocalBlackboxExporter(Name, RepoPaths.Root, Path.Combine(RepoPaths.Monitoring, "blackbox", "blackbox.yml"));

    /// <summary>Stops the exporter.</summary>
    public ValueTask DisposeAsync() => new(Teardown.DisposeAllAsync(Client, _host));

    /// <summary>Probes <paramref name="target"/> with <paramref name="module"/> and returns the exposition text.</summary>
    public Task<string> ProbeAsync(string target, string module = "http_2xx") =>
        Client.GetStringAsync($"probe?module={module}&target={Uri.EscapeDataString(target)}");
}
