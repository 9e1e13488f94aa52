using System.Text.RegularExpressions;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Prometheus;

/// <summary>
/// The rules and dashboards also run on Prometheus 3.5 (containers flavour), but only promtool 2.42 is installable here
/// (Debian's; no other source serves a Prometheus 3 binary). These are the changes of Prometheus 3 that could make a
/// rule that passes promtool 2.42 silently select nothing on 3, checked on the files themselves.
/// </summary>
public class PrometheusThreeCompatibilityTests
{
    public static TheoryData<string> Files => new(
        RepoPaths.RuleFiles.Concat(Directory.GetFiles(Path.Combine(RepoPaths.GrafanaDir, "dashboards"), "*.json", SearchOption.AllDirectories)));

    /// <summary>
    /// Prometheus 3 stores classic-histogram <c>le</c> and summary <c>quantile</c> labels in normalised float form
    /// ("1.0", not "1"): a selector with le="1" matches on 2.42 and nothing on 3.
    /// </summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void Bucket_and_quantile_selectors_use_the_normalised_float_form(string file)
    {
        var literals = Regex.Matches(File.ReadAllText(file), @"\b(le|quantile)\\?=\\?""([^""\\]*)\\?""")
            .Select(m => m.Groups[2].Value)
            .Where(value => value != "+Inf" && !value.Contains('.'))
            .ToList();

        Assert.Empty(literals);
    }

    /// <summary>Functions removed (holt_winters: renamed, behind a feature flag) are an error on Prometheus 3.</summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void No_function_removed_in_Prometheus_3(string file) =>
        Assert.DoesNotContain("holt_winters(", File.ReadAllText(file));
}
