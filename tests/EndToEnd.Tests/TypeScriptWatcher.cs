using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace Warehouse.EndToEnd.Tests;

/// <summary>An event line of the TypeScript client's <c>warehouse-watch</c>: sequence, reloads, quantity done per task.</summary>
public sealed record WatchEvent(string Event, string? Reason, long Sequence, int Resyncs, Dictionary<Guid, int> Tasks);

/// <summary>
/// The shipped TypeScript client (clients/typescript, on @microsoft/signalr) following a warehouse through the gateway,
/// run by Node as its <c>warehouse-watch</c> command; every event it prints is kept for the test to wait on.
/// </summary>
public sealed class TypeScriptWatcher : IAsyncDisposable
{
    private readonly Process _node;
    private readonly Channel<WatchEvent> _events = Channel.CreateUnbounded<WatchEvent>();
    private readonly List<string> _lines = [];

    private TypeScriptWatcher(Process node)
    {
        _node = node;
        node.OutputDataReceived += (_, e) => Receive(e.Data);
        node.ErrorDataReceived += (_, e) => Receive(e.Data is null ? null : "stderr: " + e.Data);
        node.BeginOutputReadLine();
        node.BeginErrorReadLine();
    }

    public WatchEvent? Last { get; private set; }

    public static async Task<TypeScriptWatcher> StartAsync(PlatformFixture platform, string role, string warehouse)
    {
        var script = Path.Combine(platform.RepoRoot, "clients", "typescript", "dist", "watch.js");
        if (!File.Exists(script))
        {
            throw new FileNotFoundException(
                $"{script} is not built: run `npm ci && npm run build` in clients/typescript (scripts/test.sh does).", script);
        }

        var start = new ProcessStartInfo("node", [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["WAREHOUSE_GATEWAY"] = platform.Gateway,
                ["WAREHOUSE_TOKEN"] = platform.Token(role, warehouse),
                ["WAREHOUSE_ID"] = warehouse,
            },
        };
        var watcher = new TypeScriptWatcher(Process.Start(start)!);
        await watcher.WaitForAsync(e => e.Event == "ready", TimeSpan.FromSeconds(20), "the watcher ready");
        return watcher;
    }

    /// <summary>Asks the client to reload now, as an application would on resume.</summary>
    public Task ResyncAsync() => _node.StandardInput.WriteLineAsync("resync");

    /// <summary>Waits for an event (already printed or still to come) that matches; fails with everything it printed.</summary>
    public async Task<WatchEvent> WaitForAsync(Func<WatchEvent, bool> match, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var next = await _events.Reader.ReadAsync(cts.Token);
                if (match(next))
                {
                    return next;
                }
            }
        }
        catch (OperationCanceledException)
        {
            lock (_lines)
            {
                throw new TimeoutException($"TypeScript client: no event within {timeout} for {what}. It printed:\n{string.Join("\n", _lines)}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // End of input stops the watcher cleanly; a hung one is killed.
        _node.StandardInput.Close();
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _node.WaitForExitAsync(exit.Token);
        }
        catch (OperationCanceledException)
        {
            _node.Kill(entireProcessTree: true);
        }

        _node.Dispose();
    }

    private void Receive(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        if (line.StartsWith('{'))
        {
            var parsed = JsonSerializer.Deserialize<WatchEvent>(line, JsonSerializerOptions.Web)!;
            Last = parsed;
            _events.Writer.TryWrite(parsed);
        }
    }
}
