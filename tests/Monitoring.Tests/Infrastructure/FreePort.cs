using System.Net;
using System.Net.Sockets;

namespace Monitoring.Tests.Infrastructure;

public static class FreePort
{
    /// <summary>A loopback TCP port that is free right now.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
