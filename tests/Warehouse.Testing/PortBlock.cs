using System.Net;
using System.Net.Sockets;

namespace Warehouse.Testing;

/// <summary>
/// A block of loopback ports that only this test host uses, for servers a test stops and starts again on the same
/// address (an outage). A port picked free is free only until its server stops: the orchestrator of a parallel test
/// assembly, or any client's ephemeral port, may take it before the restart ("Address already in use"). The blocks lie
/// in 20000–25999, below both the orchestrator's random ports (about 26000–47000) and the kernel's ephemeral range
/// (32768 and up), and each is claimed across processes by an exclusive lock on a file that lives as long as the block.
/// </summary>
public sealed class PortBlock : IDisposable
{
    private const int First = 20000;
    private const int Last = 25999;
    private const int Size = 20;
    private static readonly string LockDirectory = Path.Combine(Path.GetTempPath(), "warehouse-test-ports");

    private readonly FileStream _claim;

    private PortBlock(int start, FileStream claim)
    {
        Start = start;
        _claim = claim;
    }

    public int Start { get; }

    /// <summary>The <paramref name="index"/>th port of the block.</summary>
    public int this[int index] => index is >= 0 and < Size ? Start + index : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Claims the first block no other test host holds and in which nothing else listens.</summary>
    public static PortBlock Claim()
    {
        Directory.CreateDirectory(LockDirectory);
        // Start at a random block so parallel hosts rarely try the same lock first.
        var blocks = (Last - First + 1) / Size;
        var offset = Random.Shared.Next(blocks);
        for (var i = 0; i < blocks; i++)
        {
            var start = First + (offset + i) % blocks * Size;
            var claim = TryLock(Path.Combine(LockDirectory, $"{start}.lock"));
            if (claim is null)
            {
                continue;
            }

            if (Enumerable.Range(start, Size).All(IsFree))
            {
                return new PortBlock(start, claim);
            }

            claim.Dispose();
        }

        throw new InvalidOperationException($"No free block of {Size} ports in {First}–{Last}.");
    }

    public void Dispose() => _claim.Dispose();

    /// <summary>FileShare.None takes an exclusive advisory lock (flock) on Unix: a second process cannot open the file.</summary>
    private static FileStream? TryLock(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
