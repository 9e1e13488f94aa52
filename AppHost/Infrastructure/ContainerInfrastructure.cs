using AppHost.Monitoring;

namespace AppHost.Infrastructure;

/// <summary>The official, pinned images through Aspire's Postgres and Redis integrations (Docker or Podman).</summary>
internal sealed class ContainerInfrastructure(IDistributedApplicationBuilder builder, string dataDirectory) : PlatformInfrastructure(builder, dataDirectory)
{
    private IResourceBuilder<PostgresServerResource>? _postgres;
    private IResourceBuilder<RedisResource>? _redis;

    public override IResourceBuilder<IResourceWithConnectionString> AddDatabase(string server, string database)
    {
        _postgres = Builder.AddPostgres(server);
        if (Builder.ExecutionContext.IsRunMode)
        {
            // Local data survives AppHost restarts; a deployment brings its own storage.
            _postgres.WithDataVolume();
        }

        return _postgres.AddDatabase(database);
    }

    public override IResourceBuilder<IResourceWithConnectionString> AddRedis(string name)
    {
        // Aspire serves Redis over TLS with the dev certificate by default; redis_exporter here is configured for plain TCP.
#pragma warning disable ASPIRECERTIFICATES001
        return _redis = Builder.AddRedis(name).WithoutHttpsCertificate();
#pragma warning restore ASPIRECERTIFICATES001
    }

    public override void AddMonitoring(IReadOnlyList<IResourceBuilder<ProjectResource>> services) =>
        Builder.AddContainerMonitoring(
            RestartCountsDirectory,
            CreateMonitoringSecrets($"http://{MonitoringFiles.ClosedLocalPort}/"),
            _postgres ?? throw new InvalidOperationException("AddDatabase first"),
            _redis ?? throw new InvalidOperationException("AddRedis first"),
            services);
}
