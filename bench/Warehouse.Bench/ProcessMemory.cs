using System.Globalization;

namespace Warehouse.Bench;

/// <summary>A process's resident memory from /proc/&lt;pid&gt;/status, in MB.</summary>
public static class ProcessMemory
{
    public static double ResidentMegabytes(int pid) => Field(pid, "VmRSS");

    /// <summary>The most resident since the process started or since <see cref="ResetPeak"/>.</summary>
    public static double PeakResidentMegabytes(int pid) => Field(pid, "VmHWM");

    /// <summary>Starts a new peak (clear_refs 5 resets VmHWM to the current RSS).</summary>
    public static Task ResetPeak(int pid) => File.WriteAllTextAsync($"/proc/{pid}/clear_refs", "5");

    private static double Field(int pid, string name) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith(name + ":", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0)
            .Single();
}
