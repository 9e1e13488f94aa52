using AppHost.Monitoring;
using AppHost.Secrets;
using Warehouse.Contracts.Hosting;
using Warehouse.Hosting.Postgres;
using Warehouse.Hosting.Redis;

namespace AppHost.Infrastructure;

/// <summary>
/// Debian's installed binaries as executable resources, their state under one data directory
/// (<c>AppHost:DataDirectory</c>, default <c>.platform/</c> in the repository; delete it to start from scratch).
/// </summary>
internal sealed class LocalInfrastructure(IDistributedApplicationBuilder builder, string dataDirectory) : PlatformInfrastructure(builder, dataDirectory)
{
    public override PlatformData AddData(string server, string database, string redis)
    {
        var postgres = Builder.AddLocalPostgres(server, Path.Combine(DataDirectory, server), Builder.AddGeneratedPassword(SecretNames.PasswordOf(server)),
            SeedPorts.Fixed(Builder, 5432));
        return new LocalData(this, postgres.AddDatabase(database),
            Builder.AddLocalRedis(redis, Path.Combine(DataDirectory, redis), Builder.AddGeneratedPassword(SecretNames.PasswordOf(redis)), SeedPorts.Fixed(Builder, 6379)));
    }

    private sealed record LocalData(
        LocalInfrastructure Infrastructure,
        IResourceBuilder<LocalPostgresDatabaseResource> LocalDatabase,
        IResourceBuilder<LocalRedisResource> LocalRedis) : PlatformData(LocalDatabase, LocalRedis)
    {
        public override MonitoringResources AddMonitoring(IReadOnlyList<IResourceBuilder<ProjectResource>> services) =>
            Infrastructure.Builder.AddMonitoring(
                new LocalMonitoringFlavour(
                    Infrastructure.Builder,
                    Infrastructure.CreateMonitoringSecrets(AlertInboxExtensions.UrlPlaceholder),
                    Infrastructure.DataDirectory,
                    Infrastructure.RestartCountsDirectory,
                    LocalDatabase,
                    LocalRedis),
                services);
    }
}
