using System.Diagnostics;

namespace Warehouse.ProcessHost.Processes;

/// <summary>
/// A child process whose stdout/stderr stream into a <see cref="ComponentLog"/>. Children run in
/// their own session (<c>setsid</c>, exec in place so the pid is the real server's) so a terminal's
/// Ctrl+C reaches only the host, which then stops them in reverse dependency order.
/// </summary>
public sealed class ManagedProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ManagedProcess(Process process)
    {
        _process = process;
    }

    public int Id { get; private set; }

    public bool HasExited => _exited.Task.IsCompleted;

    public Task<int> Exited => _exited.Task;

    public static ManagedProcess Start(ProcessLaunch launch, ComponentLog log)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = launch.WorkingDirectory ?? "/",
        };

        var argv = new List<string>();
        if (File.Exists("/usr/bin/setsid"))
        {
            argv.Add("/usr/bin/setsid");
        }

        if (launch.RunAsUser is { } user && Posix.IsRoot)
        {
            argv.AddRange(["/usr/bin/setpriv", $"--reuid={user}", $"--regid={user}", "--init-groups", "--"]);
        }

        argv.Add(launch.FileName);
        argv.AddRange(launch.Arguments);
        info.FileName = argv[0];
        foreach (var arg in argv.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in launch.Environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var managed = new ManagedProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Write(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Write(e.Data); };
        process.Exited += (_, _) =>
        {
            // Let the output readers drain before reporting the exit.
            process.WaitForExit();
            managed._exited.TrySetResult(process.ExitCode);
        };

        log.Write($"[processhost] starting: {launch}");
        process.Start();
        managed.Id = process.Id;
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    /// <summary>
    /// Sends <paramref name="signal"/>, waits up to <paramref name="timeout"/>, then kills the whole tree.
    /// Returns true when the process exited on its own after the signal.
    /// </summary>
    public async Task<bool> StopAsync(int signal, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (HasExited)
        {
            return true;
        }

        Posix.Signal(Id, signal);
        try
        {
            await _exited.Task.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            Kill();
            await _exited.Task.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            return false;
        }
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
    }

    public void Dispose()
    {
        if (!HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }
}
