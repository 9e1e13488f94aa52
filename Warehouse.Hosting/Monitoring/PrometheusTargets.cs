using System.Text.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;

namespace Warehouse.Hosting.Monitoring;

/// <summary>
/// The file_sd files Prometheus reads (<c>targets/&lt;job&gt;.json</c>), written from the endpoints Aspire allocated, so
/// no port is written twice and tests run on random ports. Every replica of an HA pair reads the same targets. A target
/// outside the model (a service this AppHost does not run, or a test's fake one) is given by its address instead.
/// </summary>
public sealed class PrometheusTargets
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly Dictionary<string, List<Target>> _jobs = [];
    private readonly List<(string Service, Target Target)> _probed = [];
    private EndpointReference? _blackbox;

    /// <summary>One more target of <paramref name="job"/> (an HA job has one per instance).</summary>
    public PrometheusTargets Scrape(string job, EndpointReference endpoint) => Add(job, Target.Of(endpoint));

    /// <summary>
    /// One more target of <paramref name="job"/> outside the model: <paramref name="address"/> (host:port) as Prometheus
    /// reaches it, written as it is in either flavour.
    /// </summary>
    public PrometheusTargets Scrape(string job, string address) => Add(job, new(null, address));

    /// <summary>The blackbox exporter (<paramref name="blackbox"/>) probes the service's <c>/alive</c> and <c>/health</c>.</summary>
    public PrometheusTargets Probe(string service, EndpointReference endpoint, EndpointReference blackbox) =>
        Probe(service, Target.Of(endpoint), blackbox);

    /// <summary>
    /// The blackbox exporter (<paramref name="blackbox"/>) probes <c>/alive</c> and <c>/health</c> of a service outside the
    /// model, at <paramref name="baseAddress"/> (scheme, host and port) as the exporter reaches it.
    /// </summary>
    public PrometheusTargets Probe(string service, Uri baseAddress, EndpointReference blackbox) =>
        Probe(service, new Target(null, baseAddress.GetLeftPart(UriPartial.Authority)), blackbox);

    /// <summary>
    /// <c>job.json</c> per job and <c>blackbox.json</c> (when something is probed), each endpoint, and each probed URL, as
    /// <paramref name="address"/> gives it: host:port from this machine, or as a container reaches it. Addresses given
    /// by the caller are written as they are.
    /// </summary>
    public IReadOnlyDictionary<string, string> Files(Func<EndpointReference, string> address)
    {
        var files = _jobs.ToDictionary(
            job => job.Key + ".json",
            job => new JsonArray(new JsonObject { ["targets"] = new JsonArray([.. job.Value.Select(t => (JsonNode)t.In(address))]) }).ToJsonString(Indented) + "\n");
        if (_blackbox is { } blackbox)
        {
            var probes = new JsonArray();
            foreach (var (service, target) in _probed)
            {
                foreach (var probe in new[] { "alive", "health" })
                {
                    probes.Add(new JsonObject
                    {
                        ["targets"] = new JsonArray(address(blackbox)),
                        ["labels"] = new JsonObject
                        {
                            ["__param_target"] = $"{target.Url(address)}/{probe}",
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

    private PrometheusTargets Add(string job, Target target)
    {
        if (!_jobs.TryGetValue(job, out var targets))
        {
            _jobs[job] = targets = [];
        }

        targets.Add(target);
        return this;
    }

    private PrometheusTargets Probe(string service, Target target, EndpointReference blackbox)
    {
        _probed.Add((service, target));
        _blackbox = blackbox;
        return this;
    }

    /// <summary>An endpoint of the model, its address known once allocated, or an address (a probe's: its base URL) given as it is.</summary>
    private sealed record Target(EndpointReference? Endpoint, string? Address)
    {
        public static Target Of(EndpointReference endpoint) => new(endpoint, null);

        public string In(Func<EndpointReference, string> address) => Endpoint is { } endpoint ? address(endpoint) : Address!;

        public string Url(Func<EndpointReference, string> address) => Endpoint is { } endpoint ? $"{endpoint.Scheme}://{address(endpoint)}" : Address!;
    }
}
