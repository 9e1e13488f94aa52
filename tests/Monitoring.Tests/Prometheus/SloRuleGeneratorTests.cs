using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Prometheus;

/// <summary>The SLO rule files are generate_slo_rules.py's output, so the SLOs are edited in one place.</summary>
public class SloRuleGeneratorTests
{
    [Fact]
    public Task Committed_slo_rules_match_the_generator() =>
        GeneratorOutput.AssertCommittedAsync(
            Path.Combine(RepoPaths.PrometheusDir, "generate_slo_rules.py"), "SLO_RULES_OUT", RepoPaths.RulesDir, ["slo.rules.yml", "slo.alerts.yml"]);
}
