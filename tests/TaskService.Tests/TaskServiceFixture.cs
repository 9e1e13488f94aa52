using Microsoft.AspNetCore.Mvc.Testing;
using Warehouse.Testing;

namespace Warehouse.TaskService.Tests;

/// <summary>One Postgres, one Redis and one in-process task service for the whole test run.</summary>
public sealed class TaskServiceFixture : IAsyncLifetime
{
    public DataInfrastructure Data { get; } = new();

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public HttpClient Client(string role, string subject = "tester") => Factory.CreateClient().WithToken(Data.Token(role, subject));

    public async Task InitializeAsync()
    {
        await Data.InitializeAsync();
        Factory = new WebApplicationFactory<Program>();
        Factory.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Data.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class TaskServiceCollection : ICollectionFixture<TaskServiceFixture>
{
    public const string Name = "taskservice";
}
