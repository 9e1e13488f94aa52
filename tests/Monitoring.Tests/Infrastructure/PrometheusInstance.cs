using System.Globalization;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Warehouse.Hosting.Monitoring;
using Warehouse.Testing;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// A real Prometheus 2.42 (Debian's package) started by the AppHost's own resource (Warehouse.Hosting's AddLocalPrometheus:
/// its run directory laid out by PrometheusLayout, prometheus.yml verbatim, rules/, targets/*.json from PrometheusTargets,
/// the password file, web.yml, the flags of monitoring/prometheus/prometheus.flags, <c>/-/ready</c> health) in the tests'
/// MonitoringHost, replica "a" of the HA pair, on a port the orchestrator allocates. It scrapes itself, as in the AppHost.
/// </summary>
public sealed class PrometheusInstance : IAsyncDisposable
{
    private const string Name = "prometheus";

    private readonly LocalAppHost _host;
    private readonly TempDir? _dir;

    private PrometheusInstance(LocalAppHost host, TempDir? dir, LocalPrometheusResource resource, BasicAuth auth)
    {
        _host = host;
        _dir = dir;
        var endpoint = host.Endpoint(Name);
        Address = $"{endpoint.Host}:{endpoint.Port}";
        Url = $"http://{Address}";
        Client = auth.CreateClient(endpoint.ToString());
        DataDir = resource.StoragePath;
        PasswordFile = Path.Combine(resource.WorkingDirectory, MonitoringAuth.PasswordFile);
    }

    /// <summary>Based at Prometheus's URL, with basic auth.</summary>
    public HttpClient Client { get; }

    /// <summary>host:port, as its own file_sd lists it: the <c>instance</c> of its <c>prometheus</c> job.</summary>
    public string Address { get; }

    public string Url { get; }

    /// <summary>The TSDB (<c>--storage.tsdb.path</c>), the run directory's <c>data/</c>.</summary>
    public string DataDir { get; }

    public string PasswordFile { get; }

    /// <summary>
    /// Starts Prometheus. <paramref name="alertmanagerAddress"/> (host:port) is the target of the <c>alertmanagers</c> and
    /// <c>alertmanager</c> jobs; <paramref name="runDirectory"/> is kept by the caller, its <c>data/</c> an existing TSDB
    /// (a restored backup), else a temporary one is made and removed; <paramref name="probes"/> (service to base URL)
    /// starts a blackbox exporter in the same host that probes each service's <c>/alive</c> and <c>/health</c>. Other
    /// jobs have no targets.
    /// </summary>
    public static async Task<PrometheusInstance> StartAsync(
        BasicAuth auth, string? alertmanagerAddress = null, string? runDirectory = null, IReadOnlyDictionary<string, Uri>? probes = null)
    {
        var dir = runDirectory is null ? new TempDir("prometheus") : null;
        try
        {
            LocalPrometheusResource? resource = null;
            var host = await MonitoringHost.StartAsync(auth, builder =>
            {
                var targets = new PrometheusTargets();
                if (alertmanagerAddress is not null)
                {
                    targets.Scrape("alertmanagers", alertmanagerAddress).Scrape("alertmanager", alertmanagerAddress);
                }

                if (probes is { Count: > 0 })
                {
                    var blackbox = BlackboxExporterInstance.AddTo(builder).Resource.PrimaryEndpoint;
                    foreach (var (service, url) in probes)
                    {
                        targets.Probe(service, url, blackbox);
                    }
                }

                // Firing alerts are re-sent every 2 s instead of every minute, as the end-to-end tests run the AppHost.
                var prometheus = builder.AddLocalPrometheus(Name, runDirectory ?? dir!.Path, LocalPrometheusLayout.Layout, MonitoringHost.Password(builder),
                        targets, extraFlags: ["--rules.alert.resend-delay=2s"])
                    .WithReplica("a");
                targets.Scrape("prometheus", prometheus.Resource.PrimaryEndpoint);
                resource = prometheus.Resource;
            });
            return new PrometheusInstance(host, dir, resource!, auth);
        }
        catch
        {
            dir?.Dispose();
            throw;
        }
    }

    /// <summary>Stops Prometheus (and its blackbox exporter) and removes its temporary run directory, the one even when the other fails.</summary>
    public ValueTask DisposeAsync() => new(Teardown.DisposeAllAsync(Client, _host, _dir));

    /// <summary>The last lines Prometheus wrote, for a failure's message.</summary>
    public async Task<string> LogAsync() => string.Join("\n", await _host.LogTailAsync(Name));

    /// <summary>
    /// Runs an instant query (at <paramref name="time"/> when given, to the millisecond: a sample scraped in the same
    /// second as a result's timestamp is after that second's start) and returns data.result.
    /// </summary>
    public async Task<JsonArray> QueryAsync(string promql, DateTimeOffset? time = null)
    {
        var url = "api/v1/query?query=" + Uri.EscapeDataString(promql);
        if (time is { } t)
        {
            url += "&time=" + (t.ToUnixTimeMilliseconds() / 1000m).ToString(CultureInfo.InvariantCulture);
        }

        var json = JsonNode.Parse(await Client.GetStringAsync(url))!;
        return json["data"]!["result"]!.AsArray();
    }

    /// <summary>Polls <paramref name="promql"/> until it returns at least one series; fails with the log.</summary>
    public async Task<JsonArray> WaitForSeriesAsync(string promql, TimeSpan timeout)
    {
        try
        {
            return await Eventually.FoundAsync(
                async () => await QueryAsync(promql) is { Count: > 0 } result ? result : null,
                timeout,
                () => $"'{promql}' returned nothing.");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\n{await LogAsync()}", ex);
        }
    }
}
