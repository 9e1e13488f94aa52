namespace Warehouse.ProcessHost.Binaries;

/// <summary>Which Debian package provides each binary the platform runs (scripts/start.sh installs them).</summary>
public static class DebianPackages
{
    public static readonly IReadOnlyDictionary<string, string> ByBinary = new Dictionary<string, string>
    {
        ["postgres"] = "postgresql",
        ["initdb"] = "postgresql",
        ["redis-server"] = "redis-server",
        ["prometheus"] = "prometheus",
        ["prometheus-alertmanager"] = "prometheus-alertmanager",
        ["prometheus-node-exporter"] = "prometheus-node-exporter",
        ["prometheus-postgres-exporter"] = "prometheus-postgres-exporter",
        ["prometheus-redis-exporter"] = "prometheus-redis-exporter",
        ["prometheus-blackbox-exporter"] = "prometheus-blackbox-exporter",
    };

    public static string For(string binary) => ByBinary.TryGetValue(binary, out var package) ? package : binary;
}
