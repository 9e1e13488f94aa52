namespace Warehouse.ProcessHost.Binaries;

/// <summary>Looks in PATH, then in Debian's versioned PostgreSQL directories.</summary>
public sealed class BinaryLocator : IBinaryLocator
{
    public string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var dirs = path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/bin", "/usr/bin", "/usr/sbin", "/bin"])
            .Concat(PostgresBinDirs());
        return dirs.Select(d => Path.Combine(d, name)).FirstOrDefault(IsExecutable);
    }

    private static IEnumerable<string> PostgresBinDirs()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return [];
        }

        // Newest major version first.
        return Directory.GetDirectories(root)
            .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
            .Select(d => Path.Combine(d, "bin"));
    }

    private static bool IsExecutable(string file) =>
        File.Exists(file) && (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
