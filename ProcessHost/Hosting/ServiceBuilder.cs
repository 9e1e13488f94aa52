using System.Xml.Linq;
using Warehouse.ProcessHost.Components;
using Warehouse.ProcessHost.Processes;

namespace Warehouse.ProcessHost.Hosting;

/// <summary>
/// Builds the four services with one <c>dotnet build</c> of a generated solution file (<c>.slnx</c>) listing only
/// them, so nothing else in Platform.sln (e.g. the AppHost, which cannot restore here) is built.
/// </summary>
public static class ServiceBuilder
{
    public static async Task BuildAsync(ComponentContext context, CancellationToken cancellationToken)
    {
        var paths = context.Paths;
        var projects = ComponentNames.Services
            .Select(s => Path.Combine(paths.RepoRoot, ComponentNames.ProjectOf(s), ComponentNames.ProjectOf(s) + ".csproj"))
            .ToList();
        var missing = projects.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            throw new PlatformException($"Cannot build the services: {string.Join(", ", missing)} not found.");
        }

        var buildDir = Path.Combine(paths.DataDir, "build");
        Directory.CreateDirectory(buildDir);
        var solution = Path.Combine(buildDir, "services.slnx");
        var xml = new XElement("Solution", projects.Select(p => new XElement("Project", new XAttribute("Path", p))));
        await File.WriteAllTextAsync(solution, xml.ToString(), cancellationToken);

        var log = context.Log("build");
        var launch = new ProcessLaunch(
            context.ResolveBinary("build", "dotnet"),
            BuildArguments(solution, context.Options.Configuration))
        {
            WorkingDirectory = paths.RepoRoot,
        };
        var code = await ProcessRunner.RunAsync(launch, log, TimeSpan.FromMinutes(10), cancellationToken);
        if (code != 0)
        {
            throw new PlatformException($"dotnet build of the services failed (exit code {code}). Log: {log.Path}{Environment.NewLine}{log.Tail(30)}");
        }
    }

    /// <summary>
    /// A solution build unsets Configuration for referenced projects the solution does not list, so without
    /// <c>ShouldUnsetParentConfigurationAndPlatform=false</c> a Release build links Debug ServiceDefaults and Contracts.
    /// </summary>
    public static IReadOnlyList<string> BuildArguments(string solution, string configuration) =>
        ["build", solution, "-c", configuration, "-p:ShouldUnsetParentConfigurationAndPlatform=false", "-nologo", "-v:q", "-clp:NoSummary"];
}
