using System.Text.Json.Nodes;
using Warehouse.Hosting.Monitoring;
using Warehouse.Testing;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// A real Prometheus 2.42 on a free loopback port, laid out and started as the AppHost's local resource does
/// (Warehouse.Hosting's PrometheusLayout: prometheus.yml verbatim, rules/, targets/*.json, the password file,
/// web.yml, the flags of monitoring/prometheus/prometheus.flags), replica "a" of the HA pair.
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
        LocalPrometheusLayout.Create(dir, auth, job => job switch
        {
            "prometheus" => $"127.0.0.1:{port}",
            "alertmanager" or "alertmanagers" => alertmanagerAddress,
            _ => null,
        }, blackboxJson);
        dataDir ??= dir.Combine("data");
        // Firing alerts are re-sent every 2 s instead of every minute, as the end-to-end tests run the AppHost.
        string[] args = [.. LocalPrometheusLayout.Layout.Arguments(dir.Path, dataDir, ["--rules.alert.resend-delay=2s"]), $"--web.listen-address=127.0.0.1:{port}"];
        var process = ServerProcess.Start("prometheus", args, dir.Path, new Dictionary<string, string> { [PrometheusLayout.ReplicaVariable] = "a", [PrometheusLayout.HostModeVariable] = "local" });
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
