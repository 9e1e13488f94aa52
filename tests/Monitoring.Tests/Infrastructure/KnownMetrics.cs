using Warehouse.Testing;

namespace Monitoring.Tests.Infrastructure;

/// <summary>The metric names a rule or a dashboard may use: the contract table's and the recording rules'.</summary>
public static class KnownMetrics
{
    public static IReadOnlyList<ContractMetric> Contract { get; } = MetricContract.Load(RepoPaths.Root);

    /// <summary>Names a query may select: every contract metric, plus _bucket/_sum/_count of histograms.</summary>
    public static IReadOnlySet<string> Selectable { get; } = Contract
        .SelectMany(m => m.Type == "histogram"
            ? new[] { m.Name + "_bucket", m.Name + "_sum", m.Name + "_count" }
            : new[] { m.Name })
        .ToHashSet(StringComparer.Ordinal);

    public static IReadOnlySet<string> Recorded { get; } =
        Rules.Records.Select(r => r.Record!).ToHashSet(StringComparer.Ordinal);

    /// <summary>The metric names in <paramref name="expr"/> that are neither in the contract nor recorded.</summary>
    public static IEnumerable<string> Unknown(string expr) =>
        PromQl.MetricNames(expr).Where(n => !Selectable.Contains(n) && !Recorded.Contains(n));
}
