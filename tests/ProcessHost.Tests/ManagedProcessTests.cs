using System.Text.RegularExpressions;
using Warehouse.ProcessHost.Processes;
using Warehouse.ProcessHost.Tests.Infrastructure;
using Warehouse.Testing;

namespace Warehouse.ProcessHost.Tests;

public sealed class ManagedProcessTests
{
    [Fact]
    public async Task A_process_that_ignores_SIGTERM_is_killed_with_its_children_after_the_timeout()
    {
        using var dir = TestPlatform.NewDataDir();
        using var log = new ComponentLog("stubborn", dir.Combine("stubborn.log"), null);
        using var process = ManagedProcess.Start(
            new ProcessLaunch("/bin/sh", ["-c", "trap '' TERM; sleep 300 & echo child=$!; wait"]),
            log);
        var match = await Eventually.FoundAsync(
            () => Regex.Match(log.Tail(), @"^child=(\d+)$", RegexOptions.Multiline) is { Success: true } m ? m : null,
            TimeSpan.FromSeconds(5),
            () => "the shell never printed its child's pid: " + log.Tail());
        var child = int.Parse(match.Groups[1].Value);

        var graceful = await process.StopAsync(Posix.SIGTERM, TimeSpan.FromMilliseconds(500));

        Assert.False(graceful);
        await ProcessAssert.AllGoneAsync([process.Id, child], TimeSpan.FromSeconds(5));
        Assert.Contains("[processhost] starting: /bin/sh", log.Tail());
    }
}
