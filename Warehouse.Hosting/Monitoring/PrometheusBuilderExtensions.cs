using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Warehouse.Hosting.Monitoring;

public static class PrometheusBuilderExtensions
{
    public const string Image = "prom/prometheus";

    public const string Tag = "v3.5.0";

    /// <summary>
    /// Prometheus 2.42 from Debian's package on a run directory (<paramref name="runDirectory"/>, kept across runs: the
    /// TSDB lives there) laid out by <see cref="PrometheusLayout"/> from <paramref name="configFile"/>, with basic auth
    /// (<paramref name="password"/>), file_sd <paramref name="targets"/>, and <c>/-/ready</c> as its health.
    /// </summary>
    public static IResourceBuilder<LocalPrometheusResource> AddLocalPrometheus(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        string runDirectory,
        PrometheusLayout layout,
        string configFile,
        IResourceBuilder<ParameterResource> password,
        PrometheusTargets targets,
        IEnumerable<string>? extraFlags = null,
        int? port = null)
    {
        var prometheus = new LocalPrometheusResource(name, LocalBinaries.Require("/usr/bin/prometheus", "prometheus"), DataDirectory.Create(runDirectory), layout);
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(prometheus, async (_, cancellationToken) =>
        {
            var value = await password.Resource.GetValueAsync(cancellationToken) ?? "";
            layout.Write(prometheus.WorkingDirectory, configFile, value, MonitoringAuth.WebConfig(value),
                targets.Files(endpoint => $"{endpoint.Host}:{endpoint.Port}"));
        });

        return builder.AddResource(prometheus)
            .WithListenEndpoint(address =>
            [
                .. layout.Arguments(prometheus.WorkingDirectory, prometheus.StoragePath, extraFlags ?? []),
                ReferenceExpression.Create($"--web.listen-address={address}"),
                ReferenceExpression.Create($"--web.external-url={prometheus.PrimaryEndpoint}"),
            ],
            port, healthPath: "/-/ready", healthStatus: 401)
            .WithIconName("DataArea");
    }

    /// <summary>
    /// Prometheus from its official image: <paramref name="configFile"/> and the rules mounted read-only, <c>web.yml</c>,
    /// the password file and the file_sd <paramref name="targets"/> (each by its container's name on the network; a
    /// probed service, a process on the host, through <c>host.docker.internal</c> on its port) written into the
    /// container when it is created.
    /// </summary>
    public static IResourceBuilder<PrometheusResource> AddPrometheus(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        PrometheusLayout layout,
        string configFile,
        IResourceBuilder<ParameterResource> password,
        PrometheusTargets targets)
    {
        const string config = PrometheusResource.ConfigDirectory;
        return builder.AddResource(new PrometheusResource(name))
            .WithImage(Image, Tag)
            .WithBindMount(layout.Config(configFile), $"{config}/prometheus.yml", isReadOnly: true)
            .WithBindMount(layout.RulesDirectory, $"{config}/rules", isReadOnly: true)
            .WithContainerFiles(config, async (_, cancellationToken) =>
            {
                var value = await password.Resource.GetValueAsync(cancellationToken) ?? "";
                return
                [
                    new ContainerFile { Name = MonitoringAuth.WebConfigFile, Contents = MonitoringAuth.WebConfig(value) },
                    new ContainerDirectory { Name = "secrets", Entries = [new ContainerFile { Name = Path.GetFileName(MonitoringAuth.PasswordFile), Contents = value }] },
                    new ContainerDirectory
                    {
                        Name = "targets",
                        Entries = [.. targets.Files(endpoint => $"{endpoint.Resource.Name}:{endpoint.TargetPort}", endpoint => $"http://host.docker.internal:{endpoint.EndpointAnnotation.Port}")
                            .Select(file => new ContainerFile { Name = file.Key, Contents = file.Value })],
                    },
                ];
            })
            // Replaces the image's CMD, so its defaults come first.
            .WithArgs(
            [
                $"--config.file={config}/prometheus.yml",
                "--storage.tsdb.path=/prometheus",
                $"--web.config.file={config}/{MonitoringAuth.WebConfigFile}",
                .. layout.Flags(),
            ])
            .WithHttpEndpoint(targetPort: 9090, name: PrometheusResource.PrimaryEndpointName)
            .WithHttpHealthCheck("/-/ready", statusCode: 401)
            .WithIconName("DataArea");
    }

    /// <summary>One of an HA pair: its <c>replica</c> external label (dropped from the alerts it sends).</summary>
    public static IResourceBuilder<T> WithReplica<T>(this IResourceBuilder<T> prometheus, string replica)
        where T : IPrometheusResource, IResourceWithEnvironment =>
        prometheus.WithEnvironment(PrometheusLayout.ReplicaVariable, replica);
}
