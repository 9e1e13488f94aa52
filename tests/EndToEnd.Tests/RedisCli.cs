using System.Diagnostics;

namespace Warehouse.EndToEnd.Tests;

/// <summary>redis-cli (Debian package redis-tools, a dependency of redis-server) against the platform's Redis.</summary>
public static class RedisCli
{
    public static async Task PublishAsync(this PlatformFixture platform, string channel, string message)
    {
        var start = new ProcessStartInfo("redis-cli")
        {
            ArgumentList = { "-h", "127.0.0.1", "-p", platform.Platform.Ports["redis"].ToString(), "--no-auth-warning", "PUBLISH", channel, message },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["REDISCLI_AUTH"] = platform.Platform.Secrets.RedisPassword;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 || output.Contains("ERR", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"redis-cli PUBLISH failed: {output}");
        }
    }
}
