using System.Text.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;

namespace Warehouse.Hosting.Monitoring;

/// <summary>
/// The file_sd files Prometheus reads (<c>targets/&lt;job&gt;.json</c>), written from the endpoints Aspire allocated, so
/// no port is written twice and tests run on random ports. Every replica of an HA pair reads the same targets.
/// </summary>
public sealed class PrometheusTargets
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly Dictionary<string, List<EndpointReference>> _jobs = [];
    private readonly List<(string Service, EndpointReference Endpoint)> _probed = [];
    private EndpointReference? _blackbox;

    /// <summary>One more target of <paramref name="job"/> (an HA job has one per instance).</summary>
    public PrometheusTargets Scrape(string job, EndpointReference endpoint)
    {
        if (!_jobs.TryGetValue(job, out var targets))
        {
            _jobs[job] = targets = [];
        }

        targets.Add(endpoint);
        return this;
    }

    /// <summary>The blackbox exporter (<paramref name="blackbox"/>) probes the service's <c>/alive</c> and <c>/health</c>.</summary>
    public PrometheusTargets Probe(string service, EndpointReference endpoint, EndpointReference blackbox)
    {
        _probed.Add((service, endpoint));
        _blackbox = blackbox;
        return this;
    }

    /// <summary>The targets of <paramref name="job"/>, in the order they were added.</summary>
    public IReadOnlyList<EndpointReference> Of(string job) => _jobs.GetValueOrDefault(job) ?? [];

    /// <summary>
    /// <c>job.json</c> per job and <c>blackbox.json</c> (when something is probed), each target as
    /// <paramref name="address"/> gives it: host:port from this machine, or a container's name and port on the network.
    /// A probed endpoint's URL is <paramref name="probed"/>'s, by default its URL on this machine.
    /// </summary>
    public IReadOnlyDictionary<string, string> Files(Func<EndpointReference, string> address, Func<EndpointReference, string>? probed = null)
    {
        var files = _jobs.ToDictionary(
            job => job.Key + ".json",
            job => new JsonArray(new JsonObject { ["targets"] = new JsonArray([.. job.Value.Select(e => (JsonNode)address(e))]) }).ToJsonString(Indented) + "\n");
        if (_blackbox is { } blackbox)
        {
            var probes = new JsonArray();
            foreach (var (service, endpoint) in _probed)
            {
                foreach (var probe in new[] { "alive", "health" })
                {
                    probes.Add(new JsonObject
                    {
                        ["targets"] = new JsonArray(address(blackbox)),
                        ["labels"] = new JsonObject
                        {
                            ["__param_target"] = $"{probed?.Invoke(endpoint) ?? endpoint.Url}/{probe}",
                            ["__param_module"] = "http_2xx",
                            ["service"] = service,
                            ["probe"] = probe,
                        },
                    });
                }
            }

            files["blackbox.json"] = probes.ToJsonString(Indented) + "\n";
        }

        return files;
    }

    /// <summary>Writes <see cref="Files"/> for a process on this machine (host:port of each endpoint).</summary>
    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var (name, contents) in Files(endpoint => $"{endpoint.Host}:{endpoint.Port}"))
        {
            // Write-then-rename: file_sd must never read a half-written file.
            var path = Path.Combine(directory, name);
            File.WriteAllText(path + ".tmp", contents);
            File.Move(path + ".tmp", path, overwrite: true);
        }
    }
}
