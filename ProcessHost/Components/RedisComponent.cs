using Warehouse.ProcessHost.Health;
using Warehouse.ProcessHost.Hosting;
using Warehouse.ProcessHost.Processes;

namespace Warehouse.ProcessHost.Components;

/// <summary>
/// Redis 7: loopback only, password from secrets.json (in a 0600 redis.conf so it never shows in <c>ps</c>),
/// no persistence (it carries pub/sub and caches; Postgres is the source of truth).
/// </summary>
public sealed class RedisComponent(ComponentContext context) : ProcessComponent(ComponentNames.Redis, context)
{
    public override IReadOnlyList<string> RequiredBinaries => ["redis-server"];

    public override string Url => $"redis://127.0.0.1:{Port}";

    private string ConfigFile => Path.Combine(Context.Paths.RedisDir, "redis.conf");

    protected override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Context.Paths.RedisDir);
        var config = $"""
            port {Port}
            bind 127.0.0.1
            protected-mode yes
            daemonize no
            dir "{Context.Paths.RedisDir}"
            save ""
            appendonly no
            requirepass "{Context.Secrets.RedisPassword}"
            """;
        await File.WriteAllTextAsync(ConfigFile, "", cancellationToken);
        File.SetUnixFileMode(ConfigFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllTextAsync(ConfigFile, config + "\n", cancellationToken);
    }

    protected override ProcessLaunch CreateLaunch() =>
        new(Binary("redis-server"), [ConfigFile]) { WorkingDirectory = Context.Paths.RedisDir };

    protected override Task<bool> ProbeAsync(CancellationToken cancellationToken) =>
        Probes.RedisPingAsync(Port, Context.Secrets.RedisPassword, cancellationToken);
}
