using System.Text.RegularExpressions;
using Warehouse.ProcessHost.Processes;
using Warehouse.ProcessHost.Tests.Infrastructure;

namespace Warehouse.ProcessHost.Tests;

public sealed class ManagedProcessTests
{
    [Fact]
    public async Task AProcessThatIgnoresSigtermIsKilledWithItsChildrenAfterTheTimeout()
    {
        var dir = TestPlatform.NewDataDir();
        try
        {
            using var log = new ComponentLog("stubborn", Path.Combine(dir, "stubborn.log"), null);
            using var process = ManagedProcess.Start(
                new ProcessLaunch("/bin/sh", ["-c", "trap '' TERM; sleep 300 & echo child=$!; wait"]),
                log);
            var deadline = DateTime.UtcNow.AddSeconds(5);
            Match match;
            while (!(match = Regex.Match(log.Tail(), @"^child=(\d+)$", RegexOptions.Multiline)).Success && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            var child = int.Parse(match.Groups[1].Value);

            var graceful = await process.StopAsync(Posix.SIGTERM, TimeSpan.FromMilliseconds(500));

            Assert.False(graceful);
            await ProcessAssert.AllGoneAsync([process.Id, child], TimeSpan.FromSeconds(5));
            Assert.Contains("[processhost] starting: /bin/sh", log.Tail());
        }
        finally
        {
            TestPlatform.DeleteDataDir(dir);
        }
    }
}
