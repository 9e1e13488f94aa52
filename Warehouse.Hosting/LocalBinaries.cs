using Aspire.Hosting;

namespace Warehouse.Hosting;

/// <summary>Debian's binaries the local flavour runs. A missing one stops the AppHost before anything starts, naming its apt package.</summary>
public static class LocalBinaries
{
    public static string Require(string path, string aptPackage) =>
        File.Exists(path) ? path : throw Missing(path, aptPackage);

    /// <summary>PostgreSQL's server binaries live under a versioned directory: the newest installed one.</summary>
    public static string PostgresBin(string binary)
    {
        var root = "/usr/lib/postgresql";
        var found = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(dir => Path.Combine(dir, "bin", binary))
                .Where(File.Exists)
                .OrderByDescending(path => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path))), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
        return found ?? throw Missing($"{root}/<version>/bin/{binary}", "postgresql");
    }

    private static DistributedApplicationException Missing(string path, string aptPackage) =>
        new($"{path} is missing: the local infrastructure flavour runs it from Debian's package '{aptPackage}'. " +
            $"Install it with 'apt-get install {aptPackage}' (scripts/start.sh installs every package it needs), " +
            "or run with a container runtime and AppHost:Infrastructure=containers.");
}
