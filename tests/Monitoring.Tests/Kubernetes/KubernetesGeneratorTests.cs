using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Kubernetes;

/// <summary>
/// The Prometheus Operator objects of deploy/kubernetes/monitoring/generated are generate_kubernetes.py's output,
/// so the rules, routes and dashboards are edited in one place for both the AppHost and Kubernetes.
/// </summary>
public class KubernetesGeneratorTests
{
    private static readonly string Committed = Path.Combine(RepoPaths.Root, "deploy", "kubernetes", "monitoring", "generated");

    [Fact]
    public Task Committed_operator_objects_match_the_generator() =>
        GeneratorOutput.AssertCommittedAsync(
            Path.Combine(RepoPaths.Monitoring, "generate_kubernetes.py"),
            "KUBERNETES_MONITORING_OUT",
            Committed,
            Directory.GetFiles(Committed, "*", SearchOption.AllDirectories).Select(path => Path.GetRelativePath(Committed, path)));
}
