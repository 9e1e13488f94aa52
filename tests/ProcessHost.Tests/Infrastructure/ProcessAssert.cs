using Warehouse.ProcessHost.Hosting;

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

    public static async Task AllGoneAsync(IEnumerable<int> pids, TimeSpan timeout)
    {
        var list = pids.ToList();
        var deadline = DateTime.UtcNow + timeout;
        while (list.Any(p => !IsGone(p)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.All(list, p => Assert.True(IsGone(p), $"process {p} is still running"));
    }

    public static void PortsFree(Platform platform)
    {
        foreach (var component in platform.Components)
        {
            Assert.False(PlatformPorts.IsInUse(component.Port), $"{component.Name}'s port {component.Port} is still in use");
        }
    }
}
