using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Warehouse.ServiceDefaults.Http;

namespace Warehouse.Data;

public static class DataExtensions
{
    /// <summary>
    /// The <see cref="NpgsqlDataSource"/> for <c>ConnectionStrings:{connectionName}</c> through Aspire.Npgsql (traces,
    /// metrics), with the tuning the scan benchmark measured, a pool of at most <paramref name="maxPoolSize"/>
    /// connections (the service's share, <see cref="ConnectionBudget"/>), a readiness check named <c>postgres</c>, and
    /// a 503 naming it for a request that meets its outage.
    /// </summary>
    public static IHostApplicationBuilder AddWarehouseDatabase(this IHostApplicationBuilder builder, string connectionName, int maxPoolSize)
    {
        // Aspire's own check is replaced by the same package's check under the platform's name and timeout, which
        // the gateway's health view and the runbooks use.
        builder.AddNpgsqlDataSource(connectionName, settings => settings.DisableHealthChecks = true, dataSource =>
        {
            var connection = dataSource.ConnectionStringBuilder;
            if (connection.MaxAutoPrepare == 0)
            {
                // The services run a handful of statements all day: prepared once per connection, Postgres skips
                // parsing and planning them on every request.
                connection.MaxAutoPrepare = 32;
            }

            // Npgsql otherwise resets every pooled connection on reuse with seven statements (RESET ALL, CLOSE ALL,
            // UNLISTEN *, ...) that Postgres parses and runs per request; the services leave no session state behind.
            connection.NoResetOnClose = true;
            connection.MaxPoolSize = maxPoolSize;
        });
        builder.Services.AddHealthChecks().AddNpgSql(
            sp => sp.GetRequiredService<NpgsqlDataSource>(), name: PostgresOutage.Dependency, timeout: TimeSpan.FromSeconds(3));
        builder.Services.AddDependencyOutage(PostgresOutage.Dependency, PostgresOutage.Is, sp => PostgresOutage.Met(sp.GetRequiredService<NpgsqlDataSource>()));
        return builder;
    }

    /// <summary>Applies the service's embedded migrations before it starts serving.</summary>
    public static Task MigrateDatabaseAsync(this WebApplication app, Assembly migrations) =>
        SchemaMigrator.MigrateAsync(app.Services.GetRequiredService<NpgsqlDataSource>(), migrations, app.Logger, app.Lifetime.ApplicationStopping);
}
