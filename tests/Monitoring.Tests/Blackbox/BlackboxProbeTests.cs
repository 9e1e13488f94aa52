using Monitoring.Tests.Infrastructure;
using Warehouse.Testing;

namespace Monitoring.Tests.Blackbox;

/// <summary>The http_2xx module, run by a real blackbox exporter against endpoints the test serves.</summary>
public sealed class BlackboxProbeTests : IAsyncLifetime
{
    private readonly HttpRecorder _service = new();
    private BlackboxExporterInstance? _blackbox;

    private BlackboxExporterInstance Blackbox => _blackbox!;

    public async Task InitializeAsync()
    {
        _service.Respond("/health", 503);
        _service.Respond("/degraded", 200);
        _blackbox = await BlackboxExporterInstance.StartAsync();
    }

    public Task DisposeAsync() => Teardown.DisposeAllAsync(_blackbox, _service);

    [Theory]
    [InlineData("/alive", "1", "200")]
    [InlineData("/degraded", "1", "200")]
    [InlineData("/health", "0", "503")]
    public async Task Http_2xx_succeeds_only_on_2xx(string path, string success, string status)
    {
        var body = await Blackbox.ProbeAsync(_service.BaseUrl + path);

        Assert.Contains($"\nprobe_success {success}\n", body);
        Assert.Contains($"\nprobe_http_status_code {status}\n", body);
    }

    [Fact]
    public async Task Http_2xx_fails_when_nothing_listens()
    {
        using var nothing = FreePorts.Reserve();
        var body = await Blackbox.ProbeAsync($"http://127.0.0.1:{nothing.Port}/alive");

        Assert.Contains("\nprobe_success 0\n", body);
    }
}
