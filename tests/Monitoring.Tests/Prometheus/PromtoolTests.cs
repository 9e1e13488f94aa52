using Monitoring.Tests.Infrastructure;
using Warehouse.Testing;

namespace Monitoring.Tests.Prometheus;

/// <summary>promtool check config / check rules / test rules on the repository's Prometheus files.</summary>
public class PromtoolTests
{
    [Fact]
    public async Task Config_passes_promtool_check_config_in_the_contract_layout()
    {
        using var dir = new TempDir("promtool-config");
        LocalPrometheusLayout.Create(dir, BasicAuth.Create(), job => job == "blackbox" ? null : "127.0.0.1:9");

        var result = await Tool.RunAsync("promtool", ["check", "config", "prometheus.yml"], dir.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("is valid prometheus config file syntax", result.Output);
        Assert.DoesNotContain("WARNING", result.Output);
        Assert.Contains($"SUCCESS: {RepoPaths.RuleFiles.Count} rule files found", result.Output);
    }

    [Fact]
    public async Task Rules_pass_promtool_check_rules()
    {
        var result = await Tool.RunAsync("promtool", ["check", "rules", .. RepoPaths.RuleFiles]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(RepoPaths.RuleFiles.Count, CountOccurrences(result.Output, "SUCCESS"));
    }

    [Fact]
    public async Task Rule_unit_tests_pass_promtool_test_rules()
    {
        var result = await Tool.RunAsync("promtool", ["test", "rules", .. RepoPaths.RuleTestFiles], timeout: TimeSpan.FromMinutes(4));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(RepoPaths.RuleTestFiles.Count, CountOccurrences(result.Output, "SUCCESS"));
    }

    /// <summary>
    /// The unit tests can fail: ServiceDown with a 5m hold must break its firing case, and ServiceDown without the
    /// "unless a copy still answers" clause (one copy of two down would page) its replica case.
    /// </summary>
    [Theory]
    [InlineData(
        "probe_success{job=\"blackbox\",probe=\"alive\"}[1m]) == 1\n        for: 1m",
        "probe_success{job=\"blackbox\",probe=\"alive\"}[1m]) == 1\n        for: 5m")]
    [InlineData(
        "\n            unless on (service)\n          max_over_time(probe_success{job=\"blackbox\",probe=\"alive\"}[1m]) == 1\n",
        "\n")]
    public async Task Rule_unit_tests_fail_when_ServiceDown_is_weakened(string rule, string mutant)
    {
        using var dir = new TempDir("promtool-mutant");
        Directory.CreateDirectory(dir.Combine("rules"));
        Directory.CreateDirectory(dir.Combine("tests"));
        foreach (var file in RepoPaths.RuleFiles)
        {
            File.Copy(file, dir.Combine("rules", Path.GetFileName(file)));
        }

        var services = dir.Combine("rules", "services.alerts.yml");
        var original = File.ReadAllText(services);
        Assert.Contains(rule, original);
        File.WriteAllText(services, original.Replace(rule, mutant));
        File.Copy(Path.Combine(RepoPaths.RuleTestsDir, "services.test.yml"), dir.Combine("tests", "services.test.yml"));

        var result = await Tool.RunAsync("promtool", ["test", "rules", "tests/services.test.yml"], dir.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("alertname: ServiceDown", result.Output);
    }

    private static int CountOccurrences(string text, string value) =>
        (text.Length - text.Replace(value, "").Length) / value.Length;
}
