using System.Text.Json;

namespace Warehouse.EndToEnd.Tests;

/// <summary>Every panel target of every provisioned dashboard, with Grafana's variables resolved as "All" would.</summary>
public sealed record DashboardQuery(string Dashboard, string Panel, string Expr)
{
    public static IReadOnlyList<DashboardQuery> Load(string repoRoot, TimeSpan rateInterval) =>
        Directory.EnumerateFiles(Path.Combine(repoRoot, "monitoring", "grafana", "dashboards"), "*.json", SearchOption.AllDirectories)
            .SelectMany(file =>
            {
                using var document = JsonDocument.Parse(File.ReadAllText(file));
                var title = document.RootElement.GetProperty("title").GetString()!;
                return Panels(document.RootElement)
                    .SelectMany(panel => panel.TryGetProperty("targets", out var targets) ? targets.EnumerateArray().Select(t => (panel, t)) : [])
                    .Where(p => p.t.TryGetProperty("expr", out _))
                    .Select(p => new DashboardQuery(title, p.panel.GetProperty("title").GetString()!, Resolve(p.t.GetProperty("expr").GetString()!, rateInterval)))
                    .ToList();
            })
            .ToList();

    private static IEnumerable<JsonElement> Panels(JsonElement container) =>
        container.TryGetProperty("panels", out var panels)
            ? panels.EnumerateArray().SelectMany(p => new[] { p }.Concat(Panels(p)))
            : [];

    private static string Resolve(string expr, TimeSpan rateInterval) => expr
        .Replace("$__rate_interval", $"{(int)rateInterval.TotalSeconds}s", StringComparison.Ordinal)
        .Replace("$__interval", "15s", StringComparison.Ordinal)
        .Replace("$__range", "1h", StringComparison.Ordinal)
        .Replace("\"$job\"", "\".+\"", StringComparison.Ordinal)
        .Replace("\"$instance\"", "\".+\"", StringComparison.Ordinal);
}
