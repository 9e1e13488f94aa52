using Monitoring.Tests.Infrastructure;
using Warehouse.Testing;

namespace Monitoring.Tests.Prometheus;

/// <summary>The SLO rule files are generate_slo_rules.py's output, so the SLOs are edited in one place.</summary>
public class SloRuleGeneratorTests
{
    [Fact]
    public async Task Committed_slo_rules_match_the_generator()
    {
        using var dir = new TempDir("slo-rules");
        var result = await Tool.RunAsync(
            "python3", [Path.Combine(RepoPaths.PrometheusDir, "generate_slo_rules.py")],
            environment: new Dictionary<string, string> { ["SLO_RULES_OUT"] = dir.Path });
        Assert.True(result.ExitCode == 0, result.ToString());

        foreach (var file in new[] { "slo.rules.yml", "slo.alerts.yml" })
        {
            Assert.True(
                File.ReadAllText(dir.Combine(file)) == File.ReadAllText(Path.Combine(RepoPaths.PrometheusDir, "rules", file)),
                $"rules/{file} differs from generate_slo_rules.py's output: run it and commit");
        }
    }
}
