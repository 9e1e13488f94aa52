namespace Warehouse.Bench;

/// <summary>CPU time (user + system) a set of processes has used so far, from /proc/&lt;pid&gt;/stat.</summary>
public static class ProcessCpu
{
    // USER_HZ: the unit of utime and stime in /proc/<pid>/stat; 100 on every Linux this runs on (sysconf(_SC_CLK_TCK)).
    private const double TicksPerSecond = 100;

    /// <param name="reapedChildren">
    /// Also the CPU of children that have exited and been waited for (cutime, cstime): Postgres's backends for a
    /// pgbench run are gone when it ends, and their CPU is then the postmaster's children's.
    /// </param>
    public static TimeSpan Of(IEnumerable<int> processIds, bool reapedChildren = false) =>
        TimeSpan.FromSeconds(processIds.Sum(pid =>
        {
            // The command name (field 2) may hold spaces: the fields after it start past the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11]) + long.Parse(fields[12]) + (reapedChildren ? long.Parse(fields[13]) + long.Parse(fields[14]) : 0);
            return ticks / TicksPerSecond;
        }));

    /// <summary>The processes whose command name (<c>/proc/&lt;pid&gt;/comm</c>) is <paramref name="name"/>, e.g. Postgres's backends.</summary>
    public static IEnumerable<int> Named(string name) =>
        Directory.EnumerateDirectories("/proc")
            .Select(dir => int.TryParse(Path.GetFileName(dir), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && CommandName(pid) == name);

    /// <summary>The processes whose parent is <paramref name="parentId"/>, e.g. nginx's workers.</summary>
    public static IEnumerable<int> ChildrenOf(int parentId) =>
        Directory.EnumerateDirectories("/proc")
            .Select(dir => int.TryParse(Path.GetFileName(dir), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ParentOf(pid) == parentId);

    private static string CommandName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n');
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("PPid:", StringComparison.Ordinal));
            return line is null ? 0 : int.Parse(line["PPid:".Length..].Trim());
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
