namespace Warehouse.ProcessHost.Hosting;

/// <summary>
/// One ProcessHost per data dir: an exclusive lock on <c>&lt;data&gt;/processhost.lock</c> (.NET maps
/// FileShare.None to flock on Linux; the lock dies with the process, children do not inherit it).
/// </summary>
internal sealed class RunLock : IDisposable
{
    private readonly FileStream _stream;

    private RunLock(FileStream stream) => _stream = stream;

    public static RunLock Acquire(string dataDir)
    {
        var path = Path.Combine(dataDir, "processhost.lock");
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            using (var writer = new StreamWriter(stream, leaveOpen: true))
            {
                writer.Write(Environment.ProcessId);
            }

            return new RunLock(stream);
        }
        catch (IOException)
        {
            var owner = "";
            try
            {
                owner = $" (pid {File.ReadAllText(path).Trim()})";
            }
            catch (IOException)
            {
            }

            throw new PlatformException($"Another ProcessHost{owner} is already running with the data dir {dataDir}. Stop it first, or use another --data-dir.");
        }
    }

    public void Dispose() => _stream.Dispose();
}
