namespace Monitoring.Tests.Infrastructure;

/// <summary>A promtool unit-test file (monitoring/prometheus/tests/*.test.yml).</summary>
public sealed class RuleTestFile
{
    public List<string> RuleFiles { get; set; } = [];
    public List<RuleTestGroup> Tests { get; set; } = [];
}

public sealed class RuleTestGroup
{
    public List<AlertRuleTest>? AlertRuleTest { get; set; }
    public List<PromqlExprTest>? PromqlExprTest { get; set; }
}

public sealed class AlertRuleTest
{
    public string Alertname { get; set; } = "";
    public string EvalTime { get; set; } = "";
    public List<ExpectedAlert>? ExpAlerts { get; set; }
}

public sealed class ExpectedAlert
{
    public Dictionary<string, string>? ExpLabels { get; set; }
    public Dictionary<string, string>? ExpAnnotations { get; set; }
}

public sealed class PromqlExprTest
{
    public string Expr { get; set; } = "";
}

public static class RuleTests
{
    public static IReadOnlyList<(string File, RuleTestFile Content)> All { get; } =
        RepoPaths.RuleTestFiles.Select(f => (Path.GetFileName(f), Yaml.Load<RuleTestFile>(f))).ToList();

    public static IEnumerable<AlertRuleTest> AlertTests =>
        All.SelectMany(f => f.Content.Tests).SelectMany(t => t.AlertRuleTest ?? []);

    public static IEnumerable<PromqlExprTest> ExprTests =>
        All.SelectMany(f => f.Content.Tests).SelectMany(t => t.PromqlExprTest ?? []);
}
