using System.Text.Json.Nodes;
using Warehouse.Testing;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// A real Prometheus 2.42 on a free loopback port, run from the local flavour's layout of the contract:
/// prometheus.yml (monitoring/prometheus/prometheus.local.yml verbatim), rules/ (symlink to the
/// repository's rules), targets/*.json (file_sd) and secrets/monitoring_password, with basic auth
/// (--web.config.file) and the flags of monitoring/prometheus/prometheus.flags.
/// </summary>
public sealed class PrometheusInstance : ServerInstance
{
    private PrometheusInstance(ServerProcess process, HttpClient client, int port, TempDir dir, string dataDir)
        : base(process, client, port, dir)
    {
        DataDir = dataDir;
        PasswordFile = dir.Combine("secrets", "monitoring_password");
    }

    public string DataDir { get; }

    public string PasswordFile { get; }

    /// <summary>
    /// Starts Prometheus. <paramref name="alertmanagerAddress"/> (host:port) fills targets/alertmanager(s).json;
    /// <paramref name="dataDir"/> reuses an existing TSDB (a restored backup); <paramref name="blackboxJson"/> is
    /// targets/blackbox.json (probe target groups). Other jobs without targets get [].
    /// </summary>
    public static Task<PrometheusInstance> StartAsync(
        BasicAuth auth, string? alertmanagerAddress = null, string? dataDir = null, string? blackboxJson = null) =>
        StartOnFreePortAsync(port => StartAsync(port, auth, alertmanagerAddress, dataDir, blackboxJson));

    private static async Task<PrometheusInstance> StartAsync(
        int port, BasicAuth auth, string? alertmanagerAddress, string? dataDir, string? blackboxJson)
    {
        var dir = new TempDir("prometheus");
        LocalPrometheusLayout.Create(dir, "prometheus.local.yml", auth.Password, job => job switch
        {
            "prometheus" => $"127.0.0.1:{port}",
            "alertmanager" or "alertmanagers" => alertmanagerAddress,
            _ => null,
        }, blackboxJson);
        dir.WriteFile("web.yml", auth.WebConfigYaml);
        dataDir ??= dir.Combine("data");
        var args = File.ReadAllLines(Path.Combine(RepoPaths.PrometheusDir, "prometheus.flags"))
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("--", StringComparison.Ordinal) && !l.StartsWith("--rules.alert.resend-delay", StringComparison.Ordinal))
            .Concat(
            [
                "--config.file=prometheus.yml",
                $"--storage.tsdb.path={dataDir}",
                $"--web.listen-address=127.0.0.1:{port}",
                "--web.config.file=web.yml",
                "--rules.alert.resend-delay=2s",
            ]);
        var process = ServerProcess.Start("prometheus", args, dir.Path);
        var instance = new PrometheusInstance(process, auth.CreateClient($"http://127.0.0.1:{port}/"), port, dir, dataDir);
        return await WhenReadyAsync(instance, "-/ready", TimeSpan.FromSeconds(30));
    }

    /// <summary>Runs an instant query (at <paramref name="time"/> when given) and returns data.result.</summary>
    public async Task<JsonArray> QueryAsync(string promql, DateTimeOffset? time = null)
    {
        var url = "api/v1/query?query=" + Uri.EscapeDataString(promql);
        if (time is { } t)
        {
            url += "&time=" + t.ToUnixTimeSeconds();
        }

        var json = JsonNode.Parse(await Client.GetStringAsync(url))!;
        return json["data"]!["result"]!.AsArray();
    }

    /// <summary>Polls <paramref name="promql"/> until it returns at least one series; fails with the log.</summary>
    public Task<JsonArray> WaitForSeriesAsync(string promql, TimeSpan timeout) =>
        Eventually.FoundAsync(
            async () => await QueryAsync(promql) is { Count: > 0 } result ? result : null,
            timeout,
            () => $"'{promql}' returned nothing.\n{Process.Log}");
}
