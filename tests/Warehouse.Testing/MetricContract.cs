using System.Text.RegularExpressions;

namespace Warehouse.Testing;

/// <summary>A row of the metric contract: the metric, its type, its labels and where it comes from.</summary>
public sealed partial record ContractMetric(string Name, string Type, string Labels, string Source)
{
    /// <summary>The series name to look for: a histogram is seen through its buckets.</summary>
    public string Series => Type == "histogram" ? Name + "_bucket" : Name;

    /// <summary>
    /// The services that must expose a native or platform metric: those named in parentheses in its source, else
    /// all four. Exporter and Prometheus metrics have no owner: they only have to exist.
    /// </summary>
    public IReadOnlyList<string> Owners => IsServiceMetric ? (NamedServices is { Count: > 0 } named ? named : ServiceNames.All) : [];

    /// <summary>True when one owner is enough: a parenthesis that names no service (e.g. "any service that threw").</summary>
    public bool AnyOwner => !IsServiceMetric || (NamedServices.Count == 0 && Parenthesis().IsMatch(Source));

    /// <summary>Only the containers flavour runs what exposes it (the OpenTelemetry Collector).</summary>
    public bool ContainersOnly => Source.Contains("containers flavour only", StringComparison.Ordinal);

    /// <summary>Only a Kubernetes deployment has what exposes it (kube-state-metrics, the Ingress's certificate).</summary>
    public bool KubernetesOnly => Source.Contains("Kubernetes only", StringComparison.Ordinal);

    private bool IsServiceMetric => Source.StartsWith("native", StringComparison.Ordinal) || Source.StartsWith("platform", StringComparison.Ordinal);

    private List<string> NamedServices =>
        Parenthesis().Matches(Source).SelectMany(m => m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries)).Where(ServiceNames.All.Contains).ToList();

    [GeneratedRegex(@"\(([^)]*)\)")]
    private static partial Regex Parenthesis();
}

/// <summary>The metric contract table in monitoring/README.md, which the rules, the dashboards and the services must agree with.</summary>
public static partial class MetricContract
{
    public const string Heading = "## Metric contract";

    /// <summary>The rows of the table under <see cref="Heading"/> in <paramref name="repoRoot"/>/monitoring/README.md.</summary>
    public static IReadOnlyList<ContractMetric> Load(string repoRoot)
    {
        var lines = File.ReadAllLines(Path.Combine(repoRoot, "monitoring", "README.md"));
        var start = Array.FindIndex(lines, l => l.StartsWith(Heading, StringComparison.Ordinal));
        if (start < 0)
        {
            throw new InvalidOperationException($"monitoring/README.md has no '{Heading}' section");
        }

        return lines.Skip(start + 1)
            .TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))
            .Select(l => Row().Match(l))
            .Where(m => m.Success)
            .Select(m => new ContractMetric(m.Groups[1].Value, m.Groups[2].Value.Trim(), m.Groups[3].Value.Trim(), m.Groups[4].Value.Trim()))
            .ToList();
    }

    [GeneratedRegex(@"^\|\s*`([a-zA-Z_:][a-zA-Z0-9_:]*)`\s*\|([^|]*)\|([^|]*)\|([^|]*)\|")]
    private static partial Regex Row();
}
