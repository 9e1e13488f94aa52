using AppHost.Monitoring;
using AppHost.Secrets;
using Warehouse.Hosting.Postgres;
using Warehouse.Hosting.Redis;

namespace AppHost.Infrastructure;

/// <summary>
/// Debian's installed binaries as executable resources, their state under one data directory
/// (<c>AppHost:DataDirectory</c>, default <c>.platform/</c> in the repository; delete it to start from scratch).
/// </summary>
internal sealed class LocalInfrastructure(IDistributedApplicationBuilder builder, string dataDirectory) : PlatformInfrastructure(builder, dataDirectory)
{
    private IResourceBuilder<LocalPostgresServerResource>? _postgres;
    private IResourceBuilder<LocalPostgresDatabaseResource>? _database;
    private IResourceBuilder<LocalRedisResource>? _redis;

    public override IResourceBuilder<IResourceWithConnectionString> AddDatabase(string server, string database)
    {
        _postgres = Builder.AddLocalPostgres(server, Path.Combine(DataDirectory, server), Builder.AddGeneratedPassword($"{server}-password"),
            SeedPorts.Fixed(Builder, 5432));
        return _database = _postgres.AddDatabase(database);
    }

    public override IResourceBuilder<IResourceWithConnectionString> AddRedis(string name) =>
        _redis = Builder.AddLocalRedis(name, Path.Combine(DataDirectory, name), Builder.AddGeneratedPassword($"{name}-password"),
            SeedPorts.Fixed(Builder, 6379));

    public override void AddMonitoring(IReadOnlyList<IResourceBuilder<ProjectResource>> services) =>
        Builder.AddLocalMonitoring(
            DataDirectory,
            RestartCountsDirectory,
            CreateMonitoringSecrets(AlertInboxExtensions.UrlPlaceholder),
            _postgres ?? throw new InvalidOperationException("AddDatabase first"),
            _database!,
            _redis ?? throw new InvalidOperationException("AddRedis first"),
            services);
}
