using Warehouse.Testing;

namespace Monitoring.Tests.Infrastructure;

/// <summary>A server a test started on a loopback port: its process, an HTTP client for it, and the temp dir it runs from.</summary>
public abstract class ServerInstance : IAsyncDisposable
{
    private readonly TempDir? _dir;

    protected ServerInstance(ServerProcess process, HttpClient client, int port, TempDir? dir)
    {
        Process = process;
        Client = client;
        Port = port;
        _dir = dir;
    }

    public ServerProcess Process { get; }

    /// <summary>Based at the server's URL, with whatever authentication it requires.</summary>
    public HttpClient Client { get; }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public string Url => $"http://{Address}";

    /// <summary>Stops the server and removes its directory, the one even when the other fails.</summary>
    public ValueTask DisposeAsync() => new(Teardown.DisposeAllAsync(Client, Process, _dir));

    /// <summary>
    /// Starts a server on a free port; when it exits because a parallel test took the port first ("address already in
    /// use"), starts it again on another one.
    /// </summary>
    protected static Task<T> StartOnFreePortAsync<T>(Func<int, Task<T>> start) =>
        FreePorts.StartAsync(start, ex => ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase));

    /// <summary>Waits until <paramref name="readyPath"/> answers; a server that never does is stopped before the failure surfaces.</summary>
    protected static async Task<T> WhenReadyAsync<T>(T instance, string readyPath, TimeSpan timeout) where T : ServerInstance
    {
        try
        {
            await instance.Process.WaitUntilReadyAsync(instance.Client, readyPath, timeout);
            return instance;
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
    }
}
