using System.Text.RegularExpressions;

namespace Warehouse.EndToEnd.Tests;

/// <summary>The metric table of monitoring/README.md: each metric, its type, and which jobs must expose it.</summary>
public sealed partial record MetricContract(string Name, string Type, IReadOnlyList<string> Owners, bool AnyOwner)
{
    public static readonly string[] Services = ["apigateway", "taskservice", "importservice", "realtimeworker"];

    /// <summary>The series name to look for: a histogram is seen through its buckets.</summary>
    public string Series => Type == "histogram" ? Name + "_bucket" : Name;

    public static IReadOnlyList<MetricContract> Load(string repoRoot) =>
        File.ReadLines(Path.Combine(repoRoot, "monitoring", "README.md"))
            .Select(line => Row().Match(line))
            .Where(m => m.Success)
            .Select(m => Parse(m.Groups["name"].Value, m.Groups["type"].Value.Trim(), m.Groups["source"].Value.Trim()))
            .ToList();

    /// <summary>
    /// native/platform metrics belong to the services named in parentheses, else to all four; a parenthesis that
    /// names no service (e.g. "any service that threw") means at least one of them. Exporter and Prometheus
    /// metrics only have to exist.
    /// </summary>
    private static MetricContract Parse(string name, string type, string source)
    {
        if (!source.StartsWith("native", StringComparison.Ordinal) && !source.StartsWith("platform", StringComparison.Ordinal))
        {
            return new(name, type, [], AnyOwner: true);
        }

        var named = Parenthesis().Matches(source).SelectMany(m => m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries)).Where(Services.Contains).ToList();
        var any = named.Count == 0 && Parenthesis().IsMatch(source);
        return new(name, type, named.Count > 0 ? named : Services, any);
    }

    [GeneratedRegex(@"^\| `(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)` \| (?<type>[a-z]+) \| [^|]* \| (?<source>[^|]+) \|$")]
    private static partial Regex Row();

    [GeneratedRegex(@"\(([^)]*)\)")]
    private static partial Regex Parenthesis();
}
