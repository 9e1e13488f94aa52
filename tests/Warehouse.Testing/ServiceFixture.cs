using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Warehouse.Testing;

/// <summary>Real Postgres and Redis for the whole test run, and the service under test in-process on top of them.</summary>
public class ServiceFixture<TProgram> : IAsyncLifetime where TProgram : class
{
    public DataInfrastructure Data { get; } = new();

    public WebApplicationFactory<TProgram> Factory { get; private set; } = null!;

    public HttpClient Client(string role, string subject = "tester", string? warehouse = null) =>
        Factory.CreateClient().WithToken(Data.Token(role, subject, warehouse));

    public async Task InitializeAsync()
    {
        await Data.InitializeAsync();
        await BeforeServiceStartsAsync();
        Factory = StartService();
    }

    /// <summary>A fresh, started instance of the service, as after a restart.</summary>
    public WebApplicationFactory<TProgram> StartService()
    {
        var factory = new WebApplicationFactory<TProgram>();
        factory.CreateClient().Dispose();
        return factory;
    }

    public virtual async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Data.DisposeAsync();
    }

    /// <summary>What the host would have done before this service started (e.g. another service's migrations).</summary>
    protected virtual Task BeforeServiceStartsAsync() => Task.CompletedTask;
}
