using YamlDotNet.RepresentationModel;

namespace Warehouse.EndToEnd.Tests;

/// <summary>
/// Reads the timings that bound how fast an alert can reach a receiver from the repository's own files,
/// so a test's deadline follows the rules, the scrape intervals and the routes as they are changed.
/// </summary>
public sealed class MonitoringConfig(string repoRoot)
{
    private readonly string _monitoring = Path.Combine(repoRoot, "monitoring");

    public TimeSpan AlertFor(string alertname, string? severity = null) =>
        Duration(Rules().First(r => Scalar(r, "alert") == alertname && (severity is null || Scalar(r["labels"], "severity") == severity))["for"]);

    public TimeSpan EvaluationInterval => Duration(Global()["evaluation_interval"]);

    /// <summary>Time for a fresh sample of <paramref name="job"/> to be scraped and for the rules to see it twice.</summary>
    public TimeSpan Pipeline(string job) => ScrapeInterval(job) + 2 * EvaluationInterval;

    public TimeSpan ScrapeInterval(string job)
    {
        var scrape = ((YamlSequenceNode)Load("prometheus/prometheus.yml")["scrape_configs"]).Cast<YamlMappingNode>()
            .First(s => Scalar(s, "job_name") == job);
        return scrape.Children.ContainsKey("scrape_interval") ? Duration(scrape["scrape_interval"]) : Duration(Global()["scrape_interval"]);
    }

    /// <summary>group_wait of the first route matching the severity (the root's when that route does not set it).</summary>
    public TimeSpan GroupWait(string severity) => RouteSetting(severity, "group_wait");

    /// <summary>group_interval, which also paces resolved notifications of a group that already notified.</summary>
    public TimeSpan GroupInterval(string severity) => RouteSetting(severity, "group_interval");

    private TimeSpan RouteSetting(string severity, string setting)
    {
        var root = (YamlMappingNode)Load("alertmanager/alertmanager.yml")["route"];
        var route = ((YamlSequenceNode)root["routes"]).Cast<YamlMappingNode>()
            .FirstOrDefault(r => ((YamlSequenceNode)r["matchers"]).Any(m => m.ToString() == $"severity=\"{severity}\""));
        return Duration(route is not null && route.Children.ContainsKey(setting) ? route[setting] : root[setting]);
    }

    private YamlMappingNode Global() => (YamlMappingNode)Load("prometheus/prometheus.yml")["global"];

    private IEnumerable<YamlMappingNode> Rules() =>
        Directory.EnumerateFiles(Path.Combine(_monitoring, "prometheus", "rules"), "*.yml")
            .SelectMany(f => ((YamlSequenceNode)Load(Path.GetRelativePath(_monitoring, f))["groups"]).Cast<YamlMappingNode>())
            .SelectMany(g => ((YamlSequenceNode)g["rules"]).Cast<YamlMappingNode>());

    private YamlMappingNode Load(string relativePath)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(_monitoring, relativePath));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string? Scalar(YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(key, out var value) ? ((YamlScalarNode)value).Value : null;

    /// <summary>Prometheus durations as used here: a number and one of ms, s, m, h.</summary>
    private static TimeSpan Duration(YamlNode node)
    {
        var text = ((YamlScalarNode)node).Value!;
        var unit = text.TrimStart("0123456789".ToCharArray());
        var value = double.Parse(text[..^unit.Length], System.Globalization.CultureInfo.InvariantCulture);
        return unit switch
        {
            "ms" => TimeSpan.FromMilliseconds(value),
            "s" => TimeSpan.FromSeconds(value),
            "m" => TimeSpan.FromMinutes(value),
            "h" => TimeSpan.FromHours(value),
            _ => throw new FormatException($"Unsupported duration '{text}'"),
        };
    }
}
