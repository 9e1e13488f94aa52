using System.Text.Json;
using System.Text.Json.Nodes;

namespace AppHost.Monitoring;

/// <summary>
/// The file_sd files <c>prometheus.local.yml</c> reads (<c>targets/&lt;job&gt;.json</c>), written from the endpoints
/// Aspire allocated, so no port is written twice and tests run on random ports.
/// </summary>
internal sealed class PrometheusTargets
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly Dictionary<string, EndpointReference> _jobs = [];
    private readonly List<(string Service, EndpointReference Endpoint)> _probed = [];

    /// <summary>One scrape target for <paramref name="job"/>.</summary>
    public PrometheusTargets Scrape(string job, EndpointReference endpoint)
    {
        _jobs[job] = endpoint;
        return this;
    }

    /// <summary>The blackbox exporter probes the service's <c>/alive</c> and <c>/health</c>.</summary>
    public PrometheusTargets Probe(string service, EndpointReference endpoint)
    {
        _probed.Add((service, endpoint));
        return this;
    }

    public void Write(string directory, EndpointReference blackbox)
    {
        Directory.CreateDirectory(directory);
        foreach (var (job, endpoint) in _jobs)
        {
            WriteJson(Path.Combine(directory, job + ".json"), new JsonArray(new JsonObject { ["targets"] = new JsonArray(Address(endpoint)) }));
        }

        var probes = new JsonArray();
        foreach (var (service, endpoint) in _probed)
        {
            foreach (var probe in new[] { "alive", "health" })
            {
                probes.Add(new JsonObject
                {
                    ["targets"] = new JsonArray(Address(blackbox)),
                    ["labels"] = new JsonObject
                    {
                        ["__param_target"] = $"{endpoint.Url}/{probe}",
                        ["__param_module"] = "http_2xx",
                        ["service"] = service,
                        ["probe"] = probe,
                    },
                });
            }
        }

        WriteJson(Path.Combine(directory, "blackbox.json"), probes);
    }

    private static string Address(EndpointReference endpoint) => $"{endpoint.Host}:{endpoint.Port}";

    private static void WriteJson(string path, JsonNode node)
    {
        // Write-then-rename: file_sd must never read a half-written file.
        var temp = path + ".tmp";
        File.WriteAllText(temp, node.ToJsonString(Indented) + "\n");
        File.Move(temp, path, overwrite: true);
    }
}
