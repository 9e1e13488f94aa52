using System.Diagnostics;
using System.Text;
using Warehouse.Testing;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// A long-running server (Prometheus, Alertmanager, an exporter) started by a test. Its output is kept
/// so a failure can show it; disposing kills it with everything it started.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ServerProcess(Process process, string commandLine)
    {
        _process = process;
        CommandLine = commandLine;
    }

    public string CommandLine { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return $"$ {CommandLine}\n{_log}";
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static ServerProcess Start(string binary, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(Tool.Require(binary))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var server = new ServerProcess(process, binary + " " + string.Join(' ', psi.ArgumentList));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Polls <paramref name="url"/> until it answers 2xx, or fails with the server's log.</summary>
    public Task WaitUntilReadyAsync(HttpClient client, string url, TimeSpan timeout)
    {
        var last = "no answer";
        return Eventually.TrueAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"server exited with code {_process.ExitCode} before {url} was ready.\n{Log}");
                }

                using var response = await client.GetAsync(url);
                last = $"HTTP {(int)response.StatusCode}";
                return response.IsSuccessStatusCode;
            },
            timeout,
            () => $"{url} was not ready (last: {last}).\n{Log}");
    }

    /// <summary>
    /// Kills the server and its children at once (a test server has nothing to save) and waits for it to exit;
    /// a process still there after that is reported, not left behind silently.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It had already exited.
            }

            await _process.WaitForExitAsync().WaitAsync(ExitTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{CommandLine} (pid {_process.Id}) was still running {ExitTimeout.TotalSeconds:0} s after SIGKILL.\n{Log}");
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
