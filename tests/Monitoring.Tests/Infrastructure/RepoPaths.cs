
namespace Monitoring.Tests.Infrastructure;

/// <summary>Paths inside the repository, found by walking up from the test binaries to Platform.sln.</summary>
public static class RepoPaths
{
    public static string Root { get; } = Warehouse.Testing.Repository.Root;

    public static string Monitoring => Path.Combine(Root, "monitoring");
    public static string PrometheusDir => Path.Combine(Monitoring, "prometheus");
    public static string RulesDir => Path.Combine(PrometheusDir, "rules");
    public static string RuleTestsDir => Path.Combine(PrometheusDir, "tests");
    public static string AlertmanagerDir => Path.Combine(Monitoring, "alertmanager");
    public static string GrafanaDir => Path.Combine(Monitoring, "grafana");
    public static string Runbooks => Path.Combine(Root, "docs", "runbooks");
    public static string Scripts => Path.Combine(Root, "scripts");

    public static IReadOnlyList<string> RuleFiles =>
        Directory.GetFiles(RulesDir, "*.yml").OrderBy(f => f, StringComparer.Ordinal).ToList();

    public static IReadOnlyList<string> RuleTestFiles =>
        Directory.GetFiles(RuleTestsDir, "*.test.yml").OrderBy(f => f, StringComparer.Ordinal).ToList();
}
