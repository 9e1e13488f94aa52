using Warehouse.ProcessHost.Hosting;

namespace Warehouse.ProcessHost.Tests.Infrastructure;

/// <summary>One running infrastructure (no services) shared by the read-only tests of a class.</summary>
public sealed class InfrastructureFixture : IAsyncLifetime
{
    public string DataDir { get; } = TestPlatform.NewDataDir();

    public Platform Platform { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public async Task InitializeAsync()
    {
        Platform = new Platform(TestPlatform.Options(DataDir));
        await Platform.StartAsync();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Platform.DisposeAsync();
        TestPlatform.DeleteDataDir(DataDir);
    }

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
