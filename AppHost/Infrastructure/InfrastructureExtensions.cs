using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AppHost.Infrastructure;

internal static class InfrastructureExtensions
{
    public const string DataDirectoryKey = "AppHost:DataDirectory";

    /// <summary>
    /// The infrastructure flavour <c>AppHost:Infrastructure</c> asks for, logged at start with the reason. An explicit
    /// <c>containers</c> on a machine whose container runtime does not answer stops the start with the fix, instead of
    /// waiting forever for containers that never start. Publishing always describes the containers, with or without a runtime.
    /// </summary>
    public static PlatformInfrastructure AddInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var choice = InfrastructureChoice.From(builder);
        var dataDirectory = Path.GetFullPath(builder.Configuration[DataDirectoryKey] ?? Path.Combine(builder.AppHostDirectory, "..", ".platform"));

        // Publishing writes a description of the application and starts nothing: no runtime to ask, no port to take.
        if (!builder.ExecutionContext.IsRunMode)
        {
            return new ContainerInfrastructure(builder, dataDirectory);
        }

        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AppHost");
            if (choice.Flavour == InfrastructureFlavour.Containers && ContainerRuntime.Probe() is { Healthy: false } runtime)
            {
                throw new DistributedApplicationException(
                    $"Infrastructure 'containers' ({choice.Reason}) needs a container runtime, but {runtime.Description}. " +
                    $"Start Docker or Podman, or run without containers: {InfrastructureChoice.ConfigurationKey}=local (or auto).");
            }

            logger.LogInformation("Infrastructure: {Flavour} ({Reason})", choice.Flavour.ToString().ToLowerInvariant(), choice.Reason);
            if (!SeedPorts.AreRandomised(builder.Configuration))
            {
                SeedPorts.EnsureFree(@event.Model);
                logger.LogInformation("URLs: {Urls} (Prometheus and Alertmanager: user monitoring, password in 'dotnet user-secrets list --project AppHost')",
                    SeedPorts.Describe(@event.Model));
            }

            if (choice.Flavour == InfrastructureFlavour.Local)
            {
                logger.LogInformation("State: {DataDirectory} (delete it to start from scratch)", dataDirectory);
            }

            return Task.CompletedTask;
        });

        return choice.Flavour == InfrastructureFlavour.Local
            ? new LocalInfrastructure(builder, dataDirectory)
            : new ContainerInfrastructure(builder, dataDirectory);
    }
}
