using System.Text.Json.Nodes;

namespace Monitoring.Tests.Infrastructure;

public sealed record DashboardFile(string RelativePath, string Folder, JsonNode Json)
{
    public override string ToString() => RelativePath;

    public IEnumerable<JsonNode> Panels => Json["panels"]!.AsArray().Select(p => p!);

    public IEnumerable<JsonNode> Targets => Panels.SelectMany(p => p["targets"]?.AsArray() ?? []).Select(t => t!);

    public IEnumerable<string> Expressions => Targets.Select(t => (string?)t["expr"] ?? "");

    public IEnumerable<JsonNode> Variables => Json["templating"]?["list"]?.AsArray().Select(v => v!) ?? [];

    public JsonNode? Variable(string name) => Variables.FirstOrDefault(v => (string?)v["name"] == name);

    /// <summary>
    /// The uid a panel's, target's or variable's datasource resolves to when the dashboard opens: a fixed uid as
    /// written, or ${datasource} through the dashboard's Prometheus datasource variable's current value (null when
    /// the dashboard has no such variable).
    /// </summary>
    public string? DatasourceUid(JsonNode? datasource)
    {
        var uid = (string?)datasource?["uid"];
        if (uid is not ("${datasource}" or "$datasource"))
        {
            return uid;
        }

        var variable = Variable("datasource");
        if (variable is null || (string?)variable["type"] != "datasource" || (string?)variable["query"] != "prometheus")
        {
            return null;
        }

        return (string?)variable["current"]?["value"];
    }
}

/// <summary>The provisioned dashboards under monitoring/grafana/dashboards/&lt;folder&gt;/*.json.</summary>
public static class Dashboards
{
    public static string Root => Path.Combine(RepoPaths.GrafanaDir, "dashboards");

    public static IReadOnlyList<DashboardFile> All { get; } =
        Directory.GetFiles(Root, "*.json", SearchOption.AllDirectories)
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new DashboardFile(
                Path.GetRelativePath(Root, f),
                Path.GetFileName(Path.GetDirectoryName(f)!),
                JsonNode.Parse(File.ReadAllText(f)) ?? throw new InvalidDataException(f)))
            .ToList();

    public static TheoryData<string> Paths => new(All.Select(d => d.RelativePath));

    public static DashboardFile Get(string relativePath) => All.Single(d => d.RelativePath == relativePath);
}
