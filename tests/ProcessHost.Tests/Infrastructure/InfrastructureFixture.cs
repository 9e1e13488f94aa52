using Warehouse.ProcessHost.Hosting;
using Warehouse.Testing;

namespace Warehouse.ProcessHost.Tests.Infrastructure;

/// <summary>One running infrastructure (no services) shared by the read-only tests of a class.</summary>
public sealed class InfrastructureFixture : IAsyncLifetime
{
    private readonly TempDir _dataDir = TestPlatform.NewDataDir();
    private Platform? _platform;
    private MonitoringClient? _monitoring;

    public string DataDir => _dataDir.Path;

    public Platform Platform => _platform ?? throw new InvalidOperationException("The platform has not been created yet.");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public MonitoringClient Monitoring => _monitoring ??= MonitoringClient.For(Platform);

    public async Task InitializeAsync()
    {
        _platform = new Platform(TestPlatform.Options(DataDir));
        await _platform.StartAsync();
    }

    public Task DisposeAsync() => Teardown.DisposeAllAsync(Http, _monitoring, _platform, _dataDir);

    public HttpRequestMessage Get(string url, bool authenticated)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (authenticated)
        {
            request.Headers.TryAddWithoutValidation("Authorization", Platform.MonitoringAuthorization);
        }

        return request;
    }
}
