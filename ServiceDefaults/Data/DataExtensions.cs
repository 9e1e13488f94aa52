using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Warehouse.ServiceDefaults.Health;

namespace Warehouse.ServiceDefaults.Data;

public static class DataExtensions
{
    /// <summary>
    /// Registers an <see cref="NpgsqlDataSource"/> from <c>ConnectionStrings:{connectionName}</c> and its health check;
    /// it stands in for the Aspire.Npgsql client integration, which the package feed does not carry.
    /// </summary>
    public static IHostApplicationBuilder AddNpgsqlDataSource(this IHostApplicationBuilder builder, string connectionName)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{connectionName} is not configured.");
        var dataSourceBuilder = new NpgsqlDataSourceBuilder(connectionString) { Name = connectionName };
        if (dataSourceBuilder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            // The services run a handful of statements all day: prepared once per connection, Postgres skips
            // parsing and planning them on every request.
            dataSourceBuilder.ConnectionStringBuilder.MaxAutoPrepare = 32;
        }

        // Npgsql otherwise resets every pooled connection on reuse with seven statements (RESET ALL, CLOSE ALL,
        // UNLISTEN *, ...) that Postgres parses and runs per request; the services leave no session state behind.
        dataSourceBuilder.ConnectionStringBuilder.NoResetOnClose = true;
        builder.Services.AddSingleton(_ => dataSourceBuilder.Build());
        builder.Services.AddHealthChecks().AddPostgresCheck();
        return builder;
    }

    /// <summary>Applies the service's embedded migrations before it starts serving.</summary>
    public static Task MigrateDatabaseAsync(this WebApplication app, Assembly migrations) =>
        SchemaMigrator.MigrateAsync(app.Services.GetRequiredService<NpgsqlDataSource>(), migrations, app.Logger, app.Lifetime.ApplicationStopping);
}
