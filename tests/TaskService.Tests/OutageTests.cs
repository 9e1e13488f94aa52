using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Warehouse.Contracts.Tasks;
using Warehouse.Data;
using Warehouse.ServiceDefaults.Http;
using Warehouse.Security;
using Warehouse.TaskService.Model;
using Warehouse.Testing;

namespace Warehouse.TaskService.Tests;

/// <summary>Postgres stopped for real: requests answer 503 naming it, never 500, and work again once it is back.</summary>
[Collection(TaskServiceCollection.Name)]
public sealed class OutageTests(TaskServiceFixture fixture)
{
    [Fact]
    public async Task While_Postgres_is_down_every_request_that_needs_it_is_a_503_naming_it_logged_once()
    {
        var logs = new LogRecorder();
        await using var service = fixture.StartService(host => host.ConfigureLogging(logging => logging.AddProvider(logs)));
        var warehouse = TaskApiClient.NewWarehouse();
        var planner = fixture.ClientOf(service, Roles.Planner, warehouse);
        var task = await planner.CreateAsync(warehouse);
        var requests = new Func<Task<HttpResponseMessage>>[]
        {
            () => planner.GetAsync($"/api/tasks?warehouseId={warehouse}"),
            () => planner.GetAsync($"/api/tasks/{task.Id}"),
            () => planner.PostAsJsonAsync("/api/tasks", new TaskDraft(warehouse, TaskTypes.Pick, "SKU-1", 1, "A-01", null, null)),
            () => fixture.ClientOf(service, Roles.Operator, warehouse).PostAsJsonAsync("/api/scan", new ScanRequest(Guid.NewGuid(), task.Id, "SKU-1", "A-01", 1)),
        };

        await fixture.Data.StopAsync(DataInfrastructure.Postgres);
        var answers = new List<HttpResponseMessage>();
        try
        {
            foreach (var request in requests)
            {
                answers.Add(await request());
            }
        }
        finally
        {
            await fixture.Data.StartAsync(DataInfrastructure.Postgres);
            // Connections the outage killed, idle in the collection's service, would cost later tests a 503.
            fixture.Factory.Services.GetRequiredService<NpgsqlDataSource>().Clear();
        }

        foreach (var answer in answers)
        {
            Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
            var problem = await answer.ExpectAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal(PostgresOutage.Dependency, problem.GetProperty("dependency").GetString());
            Assert.Equal(DependencyOutage.RetryAfter, answer.Headers.RetryAfter?.Delta);
        }

        var outageLogs = logs.Records.Where(r => r.Category == typeof(OutageLog).FullName).ToList();
        Assert.Equal(LogLevel.Warning, Assert.Single(outageLogs).Level);
        Assert.Null(outageLogs[0].Exception);
        Assert.DoesNotContain(logs.Records, r => r.Level >= LogLevel.Error);

        // Once it is back, the same requests work (a connection the outage broke may still cost one more 503).
        await Eventually.TrueAsync(async () =>
        {
            using var response = await requests[1]();
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(30));
        await (await requests[0]()).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_services_pools_fit_in_Postgres_max_connections_with_headroom()
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.Data.PostgresConnectionString);
        await using var command = dataSource.CreateCommand(
            "SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int");
        var available = (int)(await command.ExecuteScalarAsync())!;

        Assert.True(ConnectionBudget.Services + ConnectionBudget.Headroom <= available,
            $"{ConnectionBudget.Services} pooled + {ConnectionBudget.Headroom} headroom > {available} connections");
        Assert.Equal(ConnectionBudget.TaskService,
            new NpgsqlConnectionStringBuilder(fixture.Factory.Services.GetRequiredService<NpgsqlDataSource>().ConnectionString).MaxPoolSize);
    }
}
