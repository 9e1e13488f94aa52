using System.Net;
using System.Net.Sockets;

namespace Warehouse.Testing;

/// <summary>
/// A loopback port the kernel just handed out, for the few test servers that cannot bind port 0 themselves (HttpListener,
/// Debian's binaries run by a fixture). Never the same port twice in one test process.
/// </summary>
public static class FreePorts
{
    private static readonly HashSet<int> HandedOut = [];

    public static int Next()
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
}
