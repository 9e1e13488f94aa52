namespace Monitoring.Tests.Infrastructure;

public sealed class RuleFile
{
    public List<RuleGroup> Groups { get; set; } = [];
}

public sealed class RuleGroup
{
    public string Name { get; set; } = "";
    public List<Rule> Rules { get; set; } = [];
}

public sealed class Rule
{
    public string? Alert { get; set; }
    public string? Record { get; set; }
    public string Expr { get; set; } = "";
    public string? For { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }

    public string Severity => Labels?.GetValueOrDefault("severity") ?? "";
}

/// <summary>The alerting and recording rules under monitoring/prometheus/rules/.</summary>
public static class Rules
{
    public static IReadOnlyList<(string File, Rule Rule)> All { get; } =
        RepoPaths.RuleFiles
            .SelectMany(f => Yaml.Load<RuleFile>(f).Groups.SelectMany(g => g.Rules).Select(r => (Path.GetFileName(f), r)))
            .ToList();

    public static IReadOnlyList<Rule> Alerts => All.Select(x => x.Rule).Where(r => r.Alert is not null).ToList();

    public static IReadOnlyList<Rule> Records => All.Select(x => x.Rule).Where(r => r.Record is not null).ToList();

    public static IReadOnlyList<string> AlertNames => Alerts.Select(a => a.Alert!).Distinct().ToList();

    public const string RunbookBaseUrl = "https://github.com/warehouse-platform/platform/blob/main/docs/runbooks/";
}
