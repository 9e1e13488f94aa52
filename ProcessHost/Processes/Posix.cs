using System.Runtime.InteropServices;

namespace Warehouse.ProcessHost.Processes;

/// <summary>The few libc calls .NET has no managed API for (signals other than SIGKILL, chown, euid).</summary>
internal static partial class Posix
{
    public const int SIGINT = 2;
    public const int SIGQUIT = 3;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint SysGetEuid();

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SysChown(string path, uint owner, uint group);

    public static bool IsRoot => OperatingSystem.IsLinux() && SysGetEuid() == 0;

    /// <summary>Sends a signal; false when the process is already gone.</summary>
    public static bool Signal(int pid, int signal) => SysKill(pid, signal) == 0;

    /// <summary>True while a process with this id exists (signal 0 probes without sending anything).</summary>
    public static bool IsAlive(int pid)
    {
        if (SysKill(pid, 0) == 0)
        {
            // A zombie still answers kill(0): treat it as gone.
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
                return state != 'Z' && state != 'X';
            }
            catch (IOException)
            {
                return false;
            }
        }

        return Marshal.GetLastPInvokeError() == 1; // EPERM: exists but not ours
    }

    public static void Chown(string path, uint uid, uint gid)
    {
        if (SysChown(path, uid, gid) != 0)
        {
            throw new IOException($"chown {uid}:{gid} {path} failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    public static void ChownRecursive(string path, uint uid, uint gid)
    {
        Chown(path, uid, gid);
        if (Directory.Exists(path) && !File.GetAttributes(path).HasFlag(FileAttributes.ReparsePoint))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(path))
            {
                ChownRecursive(entry, uid, gid);
            }
        }
    }

    /// <summary>uid and gid of a local user from /etc/passwd, or null when it does not exist.</summary>
    public static (uint Uid, uint Gid)? LookupUser(string name)
    {
        if (!File.Exists("/etc/passwd"))
        {
            return null;
        }

        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length > 3 && fields[0] == name)
            {
                return (uint.Parse(fields[2]), uint.Parse(fields[3]));
            }
        }

        return null;
    }
}
