using System.Diagnostics;

namespace AppHost.Infrastructure;

/// <summary>How Postgres, Redis and the monitoring stack run; the services are the same under both.</summary>
internal enum InfrastructureFlavour
{
    /// <summary>The official, pinned images (Docker or Podman).</summary>
    Containers,

    /// <summary>Debian's installed binaries as executable resources, state under one data directory.</summary>
    Local,
}

/// <summary>The flavour <c>AppHost:Infrastructure</c> asks for (<c>auto</c>, <c>containers</c> or <c>local</c>) and why.</summary>
internal sealed record InfrastructureChoice(InfrastructureFlavour Flavour, string Reason)
{
    public const string ConfigurationKey = "AppHost:Infrastructure";

    public static InfrastructureChoice From(IDistributedApplicationBuilder builder)
    {
        var requested = builder.Configuration[ConfigurationKey] ?? "auto";
        if (!builder.ExecutionContext.IsRunMode)
        {
            return new(InfrastructureFlavour.Containers, "publishing: a deployment runs the images");
        }

        return requested.ToLowerInvariant() switch
        {
            "containers" => new(InfrastructureFlavour.Containers, $"{ConfigurationKey}=containers"),
            "local" => new(InfrastructureFlavour.Local, $"{ConfigurationKey}=local"),
            // Without a runtime, local is the normal case, not a failure: said as such, with how to insist on containers.
            "auto" => ContainerRuntime.Probe() is { Healthy: true } runtime
                ? new(InfrastructureFlavour.Containers, $"auto: {runtime.Description}")
                : new(InfrastructureFlavour.Local, $"no container runtime answered; set {ConfigurationKey}=containers to require one"),
            _ => throw new DistributedApplicationException(
                $"{ConfigurationKey}='{requested}' is not a flavour: use auto (the default), containers or local."),
        };
    }
}

/// <summary>
/// Asks the container runtime Aspire would use (<c>ASPIRE_CONTAINER_RUNTIME</c>, else docker) whether its engine
/// answers. Aspire itself only warns when it does not, and then waits forever for containers that never start.
/// </summary>
internal sealed record ContainerRuntime(bool Healthy, string Description)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static ContainerRuntime? _probed;

    public static string Name =>
        Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME")
        ?? Environment.GetEnvironmentVariable("DOTNET_ASPIRE_CONTAINER_RUNTIME")
        ?? "docker";

    public static ContainerRuntime Probe() => _probed ??= Run();

    private static ContainerRuntime Run()
    {
        var info = new ProcessStartInfo(Name, ["info", "--format", "{{.ServerVersion}}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return new(false, $"'{Name} info' did not answer within {Timeout.TotalSeconds:0} s");
            }

            return process.ExitCode == 0
                ? new(true, $"{Name} {stdout.Result.Trim()} answers")
                : new(false, $"'{Name} info' failed: {FirstLine(stderr.Result)}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return new(false, $"no '{Name}' command on this machine");
        }
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no output";
}
