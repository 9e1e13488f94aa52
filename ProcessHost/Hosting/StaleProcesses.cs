using Warehouse.ProcessHost.Components;
using Warehouse.ProcessHost.Processes;

namespace Warehouse.ProcessHost.Hosting;

/// <summary>
/// Processes a previous run left behind (its host was killed with SIGKILL or crashed): endpoints.json still lists
/// their pids. Holding the run lock proves no ProcessHost owns them, so they are stopped, Postgres with a fast
/// shutdown, before anything starts. A pid is only touched when its executable is the component's binary.
/// </summary>
internal static class StaleProcesses
{
    public static async Task StopAsync(PlatformPaths paths, IReadOnlyList<IPlatformComponent> components, Func<string, string?> locate, TimeSpan timeout, Action<string> say)
    {
        if (!File.Exists(paths.EndpointsFile))
        {
            return;
        }

        EndpointsFile previous;
        try
        {
            previous = EndpointsFile.Read(paths.EndpointsFile);
        }
        catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException or InvalidDataException)
        {
            return;
        }

        foreach (var component in components.Reverse())
        {
            if (!previous.Pids.TryGetValue(component.Name, out var pid) || !Posix.IsAlive(pid) || !IsComponentBinary(pid, component, locate))
            {
                continue;
            }

            say($"{component.Name}: stopping pid {pid} left running by a previous run");
            Posix.Signal(pid, component.Name == ComponentNames.Postgres ? Posix.SIGINT : Posix.SIGTERM);
            var deadline = DateTime.UtcNow + timeout;
            while (Posix.IsAlive(pid) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            if (Posix.IsAlive(pid))
            {
                Posix.Signal(pid, Posix.SIGKILL);
            }
        }
    }

    /// <summary>Compares resolved paths: e.g. Debian's redis-server is a symlink to redis-check-rdb.</summary>
    private static bool IsComponentBinary(int pid, IPlatformComponent component, Func<string, string?> locate)
    {
        try
        {
            var exe = new FileInfo($"/proc/{pid}/exe").LinkTarget;
            return exe is not null && component.RequiredBinaries
                .Select(locate)
                .OfType<string>()
                .Any(path => (new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path) == exe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
