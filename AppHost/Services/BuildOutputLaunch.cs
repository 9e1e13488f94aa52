using System.Reflection;

namespace AppHost.Services;

/// <summary>
/// Starts a service as <c>dotnet exec &lt;its built assembly&gt;</c> instead of the orchestrator's default
/// <c>dotnet run --project ... --no-build</c>, which evaluates the project with MSBuild before every start and restart
/// (about 3 s of CPU per service; on two cores the services' evaluations queued behind each other). The AppHost's build
/// builds the services and records each one's assembly (AppHost.csproj, target AddServiceAssemblyPaths). A project
/// resource with an <see cref="ExecutableAnnotation"/> is started as that command with no <c>run</c> arguments; the
/// working directory stays the project's, as under <c>dotnet run</c>, so the content root and its appsettings.json
/// are the same.
/// </summary>
internal static class BuildOutputLaunch
{
    private const string MetadataPrefix = "ServiceAssembly:";

    public static IResourceBuilder<ProjectResource> WithBuildOutputLaunch(this IResourceBuilder<ProjectResource> service)
    {
        var project = service.Resource.GetProjectMetadata().ProjectPath;
        var assembly = typeof(BuildOutputLaunch).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(metadata => metadata.Key == MetadataPrefix + project)?.Value;
        if (assembly is null || !File.Exists(assembly))
        {
            throw new DistributedApplicationException(
                $"{service.Resource.Name}: no built assembly for {project} ({assembly ?? "not recorded by the AppHost's build"}). Build the AppHost: dotnet build AppHost.");
        }

        return service
            .WithAnnotation(new ExecutableAnnotation { Command = "dotnet", WorkingDirectory = Path.GetDirectoryName(project)! }, ResourceAnnotationMutationBehavior.Replace)
            .WithArgs("exec", assembly);
    }
}
