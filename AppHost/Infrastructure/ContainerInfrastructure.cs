using AppHost.Monitoring;

namespace AppHost.Infrastructure;

/// <summary>The official, pinned images through Aspire's Postgres and Redis integrations (Docker or Podman).</summary>
internal sealed class ContainerInfrastructure(IDistributedApplicationBuilder builder, string dataDirectory) : PlatformInfrastructure(builder, dataDirectory)
{
    public override PlatformData AddData(string server, string database, string redis)
    {
        var postgres = Builder.AddPostgres(server);
        if (Builder.ExecutionContext.IsRunMode)
        {
            // Local data survives AppHost restarts; a deployment brings its own storage.
            postgres.WithDataVolume();
        }

        // Aspire serves Redis over TLS with the dev certificate by default; redis_exporter here is configured for plain TCP.
#pragma warning disable ASPIRECERTIFICATES001
        var redisServer = Builder.AddRedis(redis).WithoutHttpsCertificate();
#pragma warning restore ASPIRECERTIFICATES001
        return new ContainerData(this, postgres, postgres.AddDatabase(database), redisServer);
    }

    private sealed record ContainerData(
        ContainerInfrastructure Infrastructure,
        IResourceBuilder<PostgresServerResource> Server,
        IResourceBuilder<PostgresDatabaseResource> ServerDatabase,
        IResourceBuilder<RedisResource> RedisServer) : PlatformData(ServerDatabase, RedisServer)
    {
        public override MonitoringResources AddMonitoring(IReadOnlyList<IResourceBuilder<ProjectResource>> services) =>
            Infrastructure.Builder.AddMonitoring(
                new ContainerMonitoringFlavour(
                    Infrastructure.Builder,
                    Infrastructure.CreateMonitoringSecrets($"http://{MonitoringFiles.ClosedLocalPort}/"),
                    Infrastructure.RestartCountsDirectory,
                    Server,
                    RedisServer),
                services);
    }
}
