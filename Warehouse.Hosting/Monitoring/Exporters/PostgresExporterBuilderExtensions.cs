using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Warehouse.Hosting.Postgres;

namespace Warehouse.Hosting.Monitoring.Exporters;

public static class PostgresExporterBuilderExtensions
{
    public const string Image = "prometheuscommunity/postgres-exporter";

    public const string Tag = "v0.17.1";

    private const int Port = 9187;

    /// <summary>postgres_exporter reads the DSN, password included, from its environment: never argv (ps, the dashboard).</summary>
    private const string DataSourceNameVariable = "DATA_SOURCE_NAME";

    /// <summary>
    /// postgres_exporter 0.11 from Debian's package on <paramref name="database"/>, started once the database exists.
    /// It reaches the server through the orchestrator's proxy, which accepts a connection even when the server is down:
    /// a connect timeout under the 10 s scrape timeout turns that into <c>pg_up 0</c>.
    /// </summary>
    public static IResourceBuilder<LocalExporterResource> AddLocalPostgresExporter(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        string workingDirectory,
        IResourceBuilder<LocalPostgresDatabaseResource> database)
    {
        var server = database.Resource.Parent;
        return builder.AddLocalExporter(name, "/usr/bin/prometheus-postgres-exporter", "prometheus-postgres-exporter", workingDirectory,
                address => [ReferenceExpression.Create($"--web.listen-address={address}")])
            .WithEnvironment(DataSourceNameVariable, DataSourceName(
                ReferenceExpression.Create($"{LocalPostgresServerResource.UserName}"), server.PasswordParameter, server.PrimaryEndpoint,
                database.Resource.DatabaseName, "&connect_timeout=5"))
            .WaitFor(database);
    }

    /// <summary>postgres_exporter from its image on <paramref name="server"/>'s <c>postgres</c> database, started once the server is healthy.</summary>
    public static IResourceBuilder<ExporterResource> AddPostgresExporter(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        IResourceBuilder<PostgresServerResource> server) =>
        builder.AddExporter(name, Image, Tag, Port)
            .WithEnvironment(DataSourceNameVariable, DataSourceName(
                server.Resource.UserNameReference, server.Resource.PasswordParameter, server.Resource.PrimaryEndpoint, "postgres", ""))
            .WaitFor(server);

    private static ReferenceExpression DataSourceName(
        ReferenceExpression user, ParameterResource password, EndpointReference server, string database, string options) =>
        ReferenceExpression.Create(
            $"postgresql://{user}:{password:uri}@{server.Property(EndpointProperty.HostAndPort)}/{database}?sslmode=disable{options}");
}
