using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Contract;

/// <summary>Every metric a rule or a dashboard uses is in the contract table of monitoring/README.md.</summary>
public class MetricContractTests
{
    public static TheoryData<string> RuleNames => new(Rules.All.Select(r => r.Rule.Alert is { } a ? $"{a}/{r.Rule.Severity}" : r.Rule.Record!).Distinct());

    [Fact]
    public void Contract_table_is_well_formed()
    {
        Assert.True(KnownMetrics.Contract.Count >= 40, $"only {KnownMetrics.Contract.Count} rows parsed");
        Assert.Equal(KnownMetrics.Contract.Count, KnownMetrics.Contract.Select(m => m.Name).Distinct().Count());
        Assert.All(KnownMetrics.Contract, m =>
        {
            Assert.Contains(m.Type, new[] { "counter", "gauge", "histogram" });
            Assert.Matches("^(native|platform|exporter|prometheus)", m.Source);
            Assert.False(string.IsNullOrWhiteSpace(m.Labels), $"{m.Name} lists no labels");
            // OTel counters get _total (the compatibility spec); postgres_exporter 0.11's counters do not.
            if (m.Type == "counter" && !m.Source.StartsWith("exporter: postgres", StringComparison.Ordinal))
            {
                Assert.EndsWith("_total", m.Name);
            }
        });
    }

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void Rule_uses_only_contract_metrics(string rule)
    {
        var expressions = Rules.All
            .Where(r => (r.Rule.Alert is { } a ? $"{a}/{r.Rule.Severity}" : r.Rule.Record) == rule)
            .Select(r => r.Rule.Expr);
        foreach (var expr in expressions)
        {
            Assert.True(rule == "Watchdog/none" || PromQl.MetricNames(expr).Count > 0, $"no metric found in {expr}");
            var unknown = KnownMetrics.Unknown(expr).ToList();
            Assert.True(unknown.Count == 0, $"{string.Join(", ", unknown)} not in the contract table (expr: {expr})");
        }
    }

    [Theory]
    [MemberData(nameof(Dashboards.Paths), MemberType = typeof(Dashboards))]
    public void Dashboard_uses_only_contract_metrics(string path)
    {
        foreach (var expr in Dashboards.Get(path).Expressions)
        {
            Assert.NotEmpty(PromQl.MetricNames(expr));
            var unknown = KnownMetrics.Unknown(expr).ToList();
            Assert.True(unknown.Count == 0, $"{string.Join(", ", unknown)} not in the contract table (expr: {expr})");
        }
    }

    [Fact]
    public void Metric_name_extraction_finds_metrics_and_ignores_functions_labels_and_strings()
    {
        const string expr = """
            label_replace(sum by (job, le) (rate(foo_seconds_bucket{job=~"$job",route!~"/a|/b"}[$__rate_interval])) > 1.5e9
            and on (job) bar_total offset 5m, "service", "$1", "job", "(.*)") or vector(0) * job:recorded:rate5m
            """;

        Assert.Equal(["bar_total", "foo_seconds_bucket", "job:recorded:rate5m"], PromQl.MetricNames(expr).Order());
        Assert.Equal(["not_in_the_contract_total"], KnownMetrics.Unknown("sum(rate(not_in_the_contract_total[5m])) / up"));
    }
}
