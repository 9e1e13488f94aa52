using System.Text.RegularExpressions;

namespace Monitoring.Tests.Infrastructure;

public sealed record ContractMetric(string Name, string Type, string Labels, string Source);

/// <summary>The metric contract table in monitoring/README.md.</summary>
public static partial class MetricContract
{
    public const string Heading = "## Metric contract";

    public static IReadOnlyList<ContractMetric> Metrics { get; } = Load();

    /// <summary>Names a query may select: every metric, plus _bucket/_sum/_count of histograms.</summary>
    public static IReadOnlySet<string> SelectableNames { get; } = Metrics
        .SelectMany(m => m.Type == "histogram"
            ? new[] { m.Name + "_bucket", m.Name + "_sum", m.Name + "_count" }
            : new[] { m.Name })
        .ToHashSet(StringComparer.Ordinal);

    public static IReadOnlySet<string> RecordedNames { get; } =
        Rules.Records.Select(r => r.Record!).ToHashSet(StringComparer.Ordinal);

    /// <summary>The metric names in <paramref name="expr"/> that are neither in the contract nor recorded.</summary>
    public static IEnumerable<string> Unknown(string expr) =>
        PromQl.MetricNames(expr).Where(n => !SelectableNames.Contains(n) && !RecordedNames.Contains(n));

    private static List<ContractMetric> Load()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Monitoring, "README.md"));
        var start = Array.FindIndex(lines, l => l.StartsWith(Heading, StringComparison.Ordinal));
        if (start < 0)
        {
            throw new InvalidOperationException($"monitoring/README.md has no '{Heading}' section");
        }

        var metrics = new List<ContractMetric>();
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)))
        {
            var m = Row().Match(line);
            if (m.Success)
            {
                metrics.Add(new ContractMetric(m.Groups[1].Value, m.Groups[2].Value.Trim(), m.Groups[3].Value.Trim(), m.Groups[4].Value.Trim()));
            }
        }

        return metrics;
    }

    [GeneratedRegex(@"^\|\s*`([a-zA-Z_:][a-zA-Z0-9_:]*)`\s*\|([^|]*)\|([^|]*)\|([^|]*)\|")]
    private static partial Regex Row();
}
