namespace Warehouse.ProcessHost.Hosting;

public sealed class PortInUseException(string component, int port)
    : PlatformException($"{component}: port {port} on 127.0.0.1 is already in use. Stop whatever holds it (ss -ltnp 'sport = :{port}') or choose another port (--port {component}={port + 1000}).")
{
    public string Component { get; } = component;

    public int Port { get; } = port;
}
