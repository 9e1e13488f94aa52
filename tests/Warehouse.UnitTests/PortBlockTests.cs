using System.Diagnostics;
using Warehouse.Testing;

namespace Warehouse.UnitTests;

public sealed class PortBlockTests
{
    [Fact]
    public void Blocks_claimed_at_once_never_overlap_and_lie_below_the_orchestrators_and_ephemeral_ports()
    {
        var blocks = Enumerable.Range(0, 20).Select(_ => PortBlock.Claim()).ToList();
        try
        {
            var ports = blocks.SelectMany(b => Enumerable.Range(0, 20).Select(i => b[i])).ToList();
            Assert.Equal(ports.Count, ports.Distinct().Count());
            Assert.All(ports, port => Assert.InRange(port, 20000, 25999));
        }
        finally
        {
            blocks.ForEach(b => b.Dispose());
        }
    }

    [Fact]
    public void A_block_another_process_holds_is_not_claimed_and_a_released_one_is()
    {
        using var first = PortBlock.Claim();
        var path = Path.Combine(Path.GetTempPath(), "warehouse-test-ports", $"{first.Start}.lock");

        // Another process (flock from util-linux) cannot take the lock while this one holds it...
        Assert.Equal(1, Flock(path));
        first.Dispose();
        // ...and can once it is released.
        Assert.Equal(0, Flock(path));
    }

    private static int Flock(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("flock", ["--nonblock", "--exclusive", path, "true"]))!;
        process.WaitForExit();
        return process.ExitCode;
    }
}
