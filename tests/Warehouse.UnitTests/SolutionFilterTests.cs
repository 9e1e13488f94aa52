using System.Text.Json;
using System.Text.RegularExpressions;
using Warehouse.ProcessHost.Hosting;

namespace Warehouse.UnitTests;

/// <summary>CI builds Platform.Ci.slnf; a project added to Platform.sln but not to the filter would silently go untested.</summary>
public sealed partial class SolutionFilterTests
{
    [Fact]
    public void The_CI_filter_holds_every_project_except_the_Aspire_ones()
    {
        var root = PlatformOptions.FindRepoRoot();
        var inSolution = ProjectLine().Matches(File.ReadAllText(Path.Combine(root, "Platform.sln")))
            .Select(m => m.Groups[1].Value.Replace('/', '\\'))
            .Where(p => p.EndsWith(".csproj", StringComparison.Ordinal))
            .ToHashSet();
        using var filter = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "Platform.Ci.slnf")));
        var inFilter = filter.RootElement.GetProperty("solution").GetProperty("projects").EnumerateArray().Select(p => p.GetString()!).ToHashSet();

        var expected = inSolution.Where(p => !p.Contains("AppHost", StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(expected, inFilter.Order().ToList());
    }

    [GeneratedRegex("""Project\("[^"]+"\) = "[^"]+", "([^"]+)",""")]
    private static partial Regex ProjectLine();
}
