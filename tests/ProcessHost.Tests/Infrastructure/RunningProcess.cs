using System.Diagnostics;

namespace Warehouse.ProcessHost.Tests.Infrastructure;

/// <summary>A process known by its pid and start time, so that a pid the kernel gave to another process is never killed instead.</summary>
public sealed record RunningProcess(int Pid, DateTime StartTime)
{
    /// <summary>The process running as <paramref name="pid"/> now, or null when there is none.</summary>
    public static RunningProcess? Of(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return new RunningProcess(pid, process.StartTime);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Kills the process and its children if it still runs, and waits until it is gone.</summary>
    public async Task KillAsync(TimeSpan timeout)
    {
        Process process;
        try
        {
            process = Process.GetProcessById(Pid);
        }
        catch (ArgumentException)
        {
            return;
        }

        using (process)
        {
            try
            {
                if (process.StartTime != StartTime)
                {
                    return;
                }

                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                return; // exited meanwhile
            }

            await process.WaitForExitAsync().WaitAsync(timeout);
        }
    }
}
