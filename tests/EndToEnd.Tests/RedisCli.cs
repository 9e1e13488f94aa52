using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

/// <summary>redis-cli (Debian package redis-tools, a dependency of redis-server) against the platform's Redis.</summary>
public static class RedisCli
{
    /// <summary>Publishes <paramref name="message"/> on <paramref name="channel"/> as any other Redis client would.</summary>
    public static async Task PublishAsync(this PlatformFixture platform, string channel, string message)
    {
        var redis = platform.Host.Endpoint("redis", "tcp");
        var result = await Tool.RunAsync(
            "redis-cli",
            ["-h", "127.0.0.1", "-p", redis.Port.ToString(), "--no-auth-warning", "PUBLISH", channel, message],
            environment: new Dictionary<string, string> { ["REDISCLI_AUTH"] = platform.Secrets.RedisPassword });
        if (result.ExitCode != 0 || result.Output.Contains("ERR", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"redis-cli PUBLISH failed: {result}");
        }
    }
}
