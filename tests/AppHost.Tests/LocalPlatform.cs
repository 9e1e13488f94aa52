using Aspire.Hosting;
using Warehouse.Testing;

namespace AppHost.Tests;

/// <summary>The whole AppHost in the local flavour (no container runtime), its state in a temp directory.</summary>
public sealed class LocalPlatform : IAsyncLifetime
{
    private readonly TempDir _dataDirectory = new("warehouse-apphost");
    private LocalAppHost? _host;

    public PlatformSecrets Secrets { get; } = new();

    public DistributedApplication App => Host.App;

    public LocalAppHost Host => _host ?? throw new InvalidOperationException("not started");

    public System.Net.Http.Headers.AuthenticationHeaderValue MonitoringAuthorization =>
        System.Net.Http.Headers.AuthenticationHeaderValue.Parse(Secrets.MonitoringAuthorization);

    public async Task InitializeAsync() =>
        _host = await LocalAppHost.StartPlatformAsync(typeof(Projects.AppHost), _dataDirectory.Path, Secrets);

    public Task DisposeAsync() => Teardown.DisposeAllAsync(_host, _dataDirectory);
}
