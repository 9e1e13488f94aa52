using Warehouse.ProcessHost.Hosting;

namespace Warehouse.ProcessHost.Components;

/// <summary>The four exporters and their Debian-version flags.</summary>
public static class Exporters
{
    public static ExporterComponent Node(ComponentContext context) => new(
        ComponentNames.NodeExporter,
        context,
        "prometheus-node-exporter",
        c => [$"--web.listen-address=127.0.0.1:{c.Ports[ComponentNames.NodeExporter]}", "--no-collector.systemd"]);

    /// <summary>postgres_exporter 0.11 reads the DSN (with the password) from its environment, never argv.</summary>
    public static ExporterComponent Postgres(ComponentContext context) => new(
        ComponentNames.PostgresExporter,
        context,
        "prometheus-postgres-exporter",
        c => [$"--web.listen-address=127.0.0.1:{c.Ports[ComponentNames.PostgresExporter]}"],
        c => new Dictionary<string, string>
        {
            ["DATA_SOURCE_NAME"] =
                $"postgresql://postgres:{Uri.EscapeDataString(c.Secrets.PostgresPassword)}@127.0.0.1:{c.Ports[ComponentNames.Postgres]}/{PostgresComponent.Database}?sslmode=disable",
        });

    /// <summary>
    /// redis_exporter 1.45 (single-dash flags). The password goes in REDIS_PASSWORD, the environment default of
    /// <c>-redis.password</c>, so it does not show in <c>ps</c>.
    /// </summary>
    public static ExporterComponent Redis(ComponentContext context) => new(
        ComponentNames.RedisExporter,
        context,
        "prometheus-redis-exporter",
        c =>
        [
            "-redis.addr", $"redis://127.0.0.1:{c.Ports[ComponentNames.Redis]}",
            "-web.listen-address", $"127.0.0.1:{c.Ports[ComponentNames.RedisExporter]}",
        ],
        c => new Dictionary<string, string> { ["REDIS_PASSWORD"] = c.Secrets.RedisPassword });

    public static ExporterComponent Blackbox(ComponentContext context) => new(
        ComponentNames.BlackboxExporter,
        context,
        "prometheus-blackbox-exporter",
        c =>
        [
            $"--config.file={c.Paths.BlackboxConfig}",
            $"--web.listen-address=127.0.0.1:{c.Ports[ComponentNames.BlackboxExporter]}",
        ],
        requiredFiles: c => [c.Paths.BlackboxConfig]);
}
