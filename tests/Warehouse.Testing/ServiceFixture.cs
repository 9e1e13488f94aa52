using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Warehouse.Testing;

/// <summary>Real Postgres and Redis for the whole test run, and the service under test in-process on top of them.</summary>
public class ServiceFixture<TProgram> : IAsyncLifetime where TProgram : class
{
    private WebApplicationFactory<TProgram>? _factory;

    public DataInfrastructure Data { get; } = new();

    public WebApplicationFactory<TProgram> Factory => _factory ?? throw new InvalidOperationException("The service has not started.");

    /// <summary>A client whose token has <paramref name="role"/> and covers <paramref name="warehouses"/> (an admin's covers all).</summary>
    public HttpClient Client(string role, params string[] warehouses) => ClientOf(Factory, role, warehouses);

    /// <summary>The same, for another started instance of the service (<see cref="StartService"/>).</summary>
    public HttpClient ClientOf(WebApplicationFactory<TProgram> service, string role, params string[] warehouses) =>
        service.CreateClient().WithToken(Data.Token(role, "tester", warehouses));

    public async Task InitializeAsync()
    {
        await Data.InitializeAsync();
        await BeforeServiceStartsAsync();
        _factory = StartService();
    }

    /// <summary>
    /// A fresh, started instance of the service, as after a restart, with <paramref name="configure"/> applied. The
    /// caller owns it: disposing it stops that host and its background workers (nothing else is started).
    /// </summary>
    public WebApplicationFactory<TProgram> StartService(Action<IWebHostBuilder>? configure = null)
    {
        var factory = new ConfiguredFactory(configure);
        try
        {
            factory.CreateClient().Dispose();
        }
        catch
        {
            factory.Dispose();
            throw;
        }

        return factory;
    }

    /// <summary>Stops the service, then the data servers, even when the service failed to start or to stop.</summary>
    public virtual Task DisposeAsync() => Teardown.DisposeAllAsync(_factory, Data);

    /// <summary>
    /// Configures the host it starts itself: <c>WithWebHostBuilder</c> would derive a second factory and leave this one,
    /// once started, running unowned.
    /// </summary>
    private sealed class ConfiguredFactory(Action<IWebHostBuilder>? configure) : WebApplicationFactory<TProgram>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder) => configure?.Invoke(builder);
    }

    /// <summary>What the host would have done before this service started (e.g. another service's migrations).</summary>
    protected virtual Task BeforeServiceStartsAsync() => Task.CompletedTask;
}
