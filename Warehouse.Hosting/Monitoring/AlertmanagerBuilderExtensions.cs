using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Warehouse.Hosting.Monitoring;

public static class AlertmanagerBuilderExtensions
{
    public const string Image = "prom/alertmanager";

    public const string Tag = "v0.28.1";

    /// <summary>
    /// Alertmanager 0.25 from Debian's package on a run directory (<see cref="AlertmanagerLayout"/>: its silences and
    /// notification log live there), its config and secret files from <paramref name="files"/> when it starts, basic
    /// auth (<paramref name="password"/>) and <c>/-/ready</c> as its health. Clustering is off until
    /// <see cref="AsCluster(IReadOnlyList{IResourceBuilder{LocalAlertmanagerResource}})"/>.
    /// </summary>
    public static IResourceBuilder<LocalAlertmanagerResource> AddLocalAlertmanager(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        string runDirectory,
        string templatesDirectory,
        IResourceBuilder<ParameterResource> password,
        Func<CancellationToken, Task<AlertmanagerFiles>> files,
        int? port = null)
    {
        var alertmanager = new LocalAlertmanagerResource(name, LocalBinaries.Require("/usr/bin/prometheus-alertmanager", "prometheus-alertmanager"),
            DataDirectory.Create(runDirectory));
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(alertmanager, async (_, cancellationToken) =>
        {
            var (config, secretFiles) = await files(cancellationToken);
            var value = await password.Resource.GetValueAsync(cancellationToken) ?? "";
            AlertmanagerLayout.Write(alertmanager.WorkingDirectory, config, templatesDirectory, secretFiles, MonitoringAuth.WebConfig(value));
        });

        // Relative paths in alertmanager.yml (secrets/, templates/) resolve against the working directory.
        return builder.AddResource(alertmanager)
            .WithListenEndpoint(address =>
            [
                .. AlertmanagerLayout.Arguments(alertmanager.WorkingDirectory),
                ReferenceExpression.Create($"--web.listen-address={address}"),
                ReferenceExpression.Create($"--web.external-url={alertmanager.PrimaryEndpoint}"),
                .. ClusterArguments(alertmanager),
            ],
            port, healthPath: "/-/ready", healthStatus: 401)
            .WithIconName("AlertUrgent");
    }

    /// <summary>
    /// Alertmanager from its official image: the templates mounted read-only; alertmanager.yml, the secret files and
    /// <c>web.yml</c> written into the container when it is created. Its working directory is the config directory,
    /// where alertmanager.yml's relative paths resolve. Clustering is off until <see cref="AsCluster(IReadOnlyList{IResourceBuilder{AlertmanagerResource}})"/>.
    /// </summary>
    public static IResourceBuilder<AlertmanagerResource> AddAlertmanager(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        string templatesDirectory,
        IResourceBuilder<ParameterResource> password,
        Func<CancellationToken, Task<AlertmanagerFiles>> files)
    {
        const string config = AlertmanagerResource.ConfigDirectory;
        var alertmanager = new AlertmanagerResource(name);
        return builder.AddResource(alertmanager)
            .WithImage(Image, Tag)
            .WithBindMount(templatesDirectory, $"{config}/templates", isReadOnly: true)
            .WithContainerFiles(config, async (_, cancellationToken) =>
            {
                var (contents, secretFiles) = await files(cancellationToken);
                var value = await password.Resource.GetValueAsync(cancellationToken) ?? "";
                return
                [
                    new ContainerFile { Name = "alertmanager.yml", Contents = contents },
                    new ContainerFile { Name = MonitoringAuth.WebConfigFile, Contents = MonitoringAuth.WebConfig(value) },
                    new ContainerDirectory { Name = "secrets", Entries = [.. secretFiles.Select(file => new ContainerFile { Name = file.Key, Contents = file.Value })] },
                ];
            })
            .WithContainerRuntimeArgs("--workdir", config)
            // Replaces the image's CMD.
            .WithArgs(context =>
            {
                string[] arguments =
                [
                    $"--config.file={config}/alertmanager.yml",
                    "--storage.path=/alertmanager",
                    $"--web.config.file={config}/{MonitoringAuth.WebConfigFile}",
                    .. AlertmanagerLayout.Cluster(
                        alertmanager.Peers.Count == 0 ? null : $"0.0.0.0:{AlertmanagerResource.ClusterPort}",
                        alertmanager.Peers.Select(peer => $"{peer.Name}:{AlertmanagerResource.ClusterPort}")),
                ];
                arguments.ToList().ForEach(context.Args.Add);
            })
            .WithHttpEndpoint(targetPort: 9093, name: AlertmanagerResource.PrimaryEndpointName)
            .WithHttpHealthCheck("/-/ready", statusCode: 401)
            .WithIconName("AlertUrgent");
    }

    /// <summary>
    /// Clusters the instances on loopback: each gets a gossip endpoint of its own (allocated by the orchestrator; the
    /// default 9094 would collide) and every other one as a peer, so notifications are deduplicated across the cluster.
    /// </summary>
    public static IReadOnlyList<IResourceBuilder<LocalAlertmanagerResource>> AsCluster(this IReadOnlyList<IResourceBuilder<LocalAlertmanagerResource>> members)
    {
        if (members.Count < 2)
        {
            return members;
        }

        foreach (var member in members)
        {
            member.Resource.Peers.AddRange(members.Select(m => m.Resource).Where(m => m != member.Resource));
            // The process binds the target port itself, TCP and UDP; the orchestrator's proxy (the port) carries the
            // TCP join only.
            member.WithEndpoint(name: AlertmanagerResource.ClusterEndpointName, scheme: "tcp");
        }

        return members;
    }

    /// <summary>Clusters the containers on their network, each on the default cluster port of its own address.</summary>
    public static IReadOnlyList<IResourceBuilder<AlertmanagerResource>> AsCluster(this IReadOnlyList<IResourceBuilder<AlertmanagerResource>> members)
    {
        if (members.Count < 2)
        {
            return members;
        }

        foreach (var member in members)
        {
            member.Resource.Peers.AddRange(members.Select(m => m.Resource).Where(m => m != member.Resource));
            member.WithEndpoint(targetPort: AlertmanagerResource.ClusterPort, name: AlertmanagerResource.ClusterEndpointName, scheme: "tcp");
        }

        return members;
    }

    private static IEnumerable<object> ClusterArguments(LocalAlertmanagerResource alertmanager) =>
        alertmanager.Peers.Count == 0
            ? AlertmanagerLayout.Cluster(null, [])
            :
            [
                ReferenceExpression.Create($"--cluster.listen-address=127.0.0.1:{alertmanager.ClusterEndpoint.Property(EndpointProperty.TargetPort)}"),
                // A peer is joined through its endpoint's port, which the orchestrator allocates up front for every
                // resource; a target port is only known to the process that binds it. The join tells each member the
                // others' listen addresses, where the gossip (TCP and UDP) then goes directly.
                .. alertmanager.Peers.Select(peer =>
                    ReferenceExpression.Create($"--cluster.peer=127.0.0.1:{peer.ClusterEndpoint.Property(EndpointProperty.Port)}")),
            ];
}
