using Warehouse.ProcessHost.Hosting;

namespace Warehouse.ProcessHost.Binaries;

public sealed class MissingBinaryException(string component, string binary, string package)
    : PlatformException($"{component}: the executable '{binary}' was not found. Install the Debian package '{package}' (apt-get install -y {package}, or run scripts/start.sh).")
{
    public string Component { get; } = component;

    public string Binary { get; } = binary;

    public string Package { get; } = package;
}
