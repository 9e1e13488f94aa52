using Warehouse.Testing;

namespace Monitoring.Tests.Infrastructure;

/// <summary>Code-generated monitoring files (dashboards, SLO rules) must be exactly what their generator writes.</summary>
public static class GeneratorOutput
{
    /// <summary>
    /// Runs <paramref name="script"/> with its output directory (<paramref name="outputVariable"/>) in a temp dir and
    /// compares each of <paramref name="relativePaths"/> with the committed file under <paramref name="committedRoot"/>.
    /// </summary>
    public static async Task AssertCommittedAsync(string script, string outputVariable, string committedRoot, IEnumerable<string> relativePaths)
    {
        using var dir = new TempDir("generated");
        var result = await Tool.RunAsync("python3", [script], environment: new Dictionary<string, string> { [outputVariable] = dir.Path });
        Assert.True(result.ExitCode == 0, result.ToString());

        foreach (var path in relativePaths)
        {
            Assert.True(
                File.ReadAllText(dir.Combine(path)) == File.ReadAllText(Path.Combine(committedRoot, path)),
                $"{path} differs from {Path.GetFileName(script)}'s output: run it and commit");
        }
    }
}
