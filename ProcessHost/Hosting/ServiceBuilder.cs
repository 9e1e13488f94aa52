using Warehouse.ProcessHost.Components;
using Warehouse.ProcessHost.Processes;

namespace Warehouse.ProcessHost.Hosting;

/// <summary>
/// Builds the four services in one <c>dotnet build</c> of a generated solution filter (so nothing else in
/// Platform.sln, e.g. the AppHost that cannot restore here, is built).
/// </summary>
public static class ServiceBuilder
{
    public static async Task BuildAsync(ComponentContext context, CancellationToken cancellationToken)
    {
        var paths = context.Paths;
        var projects = ComponentNames.Services
            .Select(s => $"{ComponentNames.ProjectOf(s)}/{ComponentNames.ProjectOf(s)}.csproj")
            .ToList();
        var missing = projects.Where(p => !File.Exists(Path.Combine(paths.RepoRoot, p))).ToList();
        if (missing.Count > 0)
        {
            throw new PlatformException($"Cannot build the services: {string.Join(", ", missing)} not found under {paths.RepoRoot}.");
        }

        var buildDir = Path.Combine(paths.DataDir, "build");
        Directory.CreateDirectory(buildDir);
        var filter = Path.Combine(buildDir, "services.slnf");
        var json = new System.Text.Json.Nodes.JsonObject
        {
            ["solution"] = new System.Text.Json.Nodes.JsonObject
            {
                ["path"] = Path.GetRelativePath(buildDir, Path.Combine(paths.RepoRoot, "Platform.sln")),
                ["projects"] = new System.Text.Json.Nodes.JsonArray(projects.Select(p => (System.Text.Json.Nodes.JsonNode)p.Replace('/', '\\')).ToArray()),
            },
        };
        await File.WriteAllTextAsync(filter, json.ToJsonString(), cancellationToken);

        var log = context.Log("build");
        var dotnet = context.ResolveBinary("build", "dotnet");
        var launch = new ProcessLaunch(dotnet, ["build", filter, "-c", context.Options.Configuration, "-nologo", "-v:q", "-clp:NoSummary"])
        {
            WorkingDirectory = paths.RepoRoot,
        };
        var code = await ProcessRunner.RunAsync(launch, log, TimeSpan.FromMinutes(10), cancellationToken);
        if (code != 0)
        {
            throw new PlatformException($"dotnet build of the services failed (exit code {code}). Log: {log.Path}{Environment.NewLine}{log.Tail(30)}");
        }
    }
}
