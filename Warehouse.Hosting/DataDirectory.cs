namespace Warehouse.Hosting;

/// <summary>Directories of the local flavour's state; PostgreSQL refuses to run as root, so its directory belongs to <c>postgres</c>.</summary>
public static class DataDirectory
{
    public const string PostgresUser = "postgres";

    /// <summary>Root runs PostgreSQL as the <c>postgres</c> user (created by the Debian package); anyone else runs it as themselves.</summary>
    public static bool RunsAsPostgresUser => Environment.IsPrivilegedProcess;

    public static string Create(string path)
    {
        Directory.CreateDirectory(path);
        return Path.GetFullPath(path);
    }

    /// <summary>
    /// Gives <paramref name="directory"/> to the <c>postgres</c> user with mode 0700 and lets it traverse every parent
    /// (adds o+x where missing, e.g. a 0700 temp dir of a test; never removes anything).
    /// </summary>
    public static async Task HandToPostgresAsync(string directory, CancellationToken cancellationToken)
    {
        Create(directory);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The local flavour runs Debian's binaries: use Linux, or containers.");
        }

        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (!RunsAsPostgresUser)
        {
            return;
        }

        using var chown = System.Diagnostics.Process.Start("chown", ["-R", $"{PostgresUser}:{PostgresUser}", directory]);
        await chown.WaitForExitAsync(cancellationToken);
        if (chown.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown -R {PostgresUser} {directory} failed ({chown.ExitCode}): the '{PostgresUser}' user comes with the Debian package 'postgresql'.");
        }

        for (var dir = Directory.GetParent(directory); dir is not null; dir = dir.Parent)
        {
            var mode = File.GetUnixFileMode(dir.FullName);
            if ((mode & UnixFileMode.OtherExecute) == 0)
            {
                File.SetUnixFileMode(dir.FullName, mode | UnixFileMode.OtherExecute);
            }
        }
    }

    /// <summary>Writes a file only its owner can read (a secret), replacing it atomically.</summary>
    public static void WriteSecretFile(string path, string contents)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(temp, contents);
        File.Move(temp, path, overwrite: true);
    }
}
