using Warehouse.ProcessHost.Hosting;
using Warehouse.Testing;

namespace Warehouse.ProcessHost.Tests.Infrastructure;

public static class ProcessAssert
{
    /// <summary>The process is gone (or a zombie about to be reaped).</summary>
    public static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
            return state is 'Z' or 'X';
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>No process anywhere mentions the data dir on its command line (catches orphaned children).</summary>
    public static IReadOnlyList<string> ProcessesMentioning(string text)
    {
        var found = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(text, StringComparison.Ordinal) && !IsGone(pid))
                {
                    found.Add($"{pid}: {cmdline}");
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>Waits until every one of <paramref name="pids"/> is gone; fails naming those still running.</summary>
    public static Task AllGoneAsync(IEnumerable<int> pids, TimeSpan timeout)
    {
        var list = pids.ToList();
        return Eventually.TrueAsync(
            () => list.All(IsGone),
            timeout,
            () => $"processes still running: {string.Join(", ", list.Where(p => !IsGone(p)))}");
    }

    public static void PortsFree(Platform platform)
    {
        foreach (var component in platform.Components)
        {
            Assert.False(PlatformPorts.IsInUse(component.Port), $"{component.Name}'s port {component.Port} is still in use");
        }
    }
}
