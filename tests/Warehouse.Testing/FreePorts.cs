using System.Net;
using System.Net.Sockets;

namespace Warehouse.Testing;

/// <summary>
/// Loopback ports for test servers that cannot bind port 0 themselves (HttpListener, Debian's binaries run by a fixture),
/// and for "nothing listens here" addresses. A port picked free can be taken by a parallel test assembly before the
/// server binds it, so servers start through <see cref="StartAsync{T}"/>, which moves to another port when the bind
/// loses that race, and dead addresses use a <see cref="Reserve"/>d port, which nobody else can bind.
/// </summary>
public static class FreePorts
{
    private const int Attempts = 5;
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>A port the kernel just handed out, never the same twice in one test process (a candidate, not a claim).</summary>
    private static int Next()
    {
        lock (HandedOut)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }

    /// <summary>
    /// Starts a server on a candidate port; when <paramref name="lostTheRace"/> says the start failed because the port
    /// was taken meanwhile, tries another one.
    /// </summary>
    public static async Task<T> StartAsync<T>(Func<int, Task<T>> start, Func<Exception, bool> lostTheRace)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await start(Next());
            }
            catch (Exception ex) when (attempt < Attempts && lostTheRace(ex))
            {
            }
        }
    }

    /// <summary>
    /// A port that is bound but never listened on: connections to it are refused, and no other process can bind it
    /// while the reservation lives. For "a service that is down".
    /// </summary>
    public static ReservedPort Reserve()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return new ReservedPort(socket);
    }
}

/// <summary>A bound, never-listening loopback port; disposing releases it.</summary>
public sealed class ReservedPort(Socket socket) : IDisposable
{
    public int Port { get; } = ((IPEndPoint)socket.LocalEndPoint!).Port;

    public void Dispose() => socket.Dispose();
}
