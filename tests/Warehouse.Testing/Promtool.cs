namespace Warehouse.Testing;

/// <summary>Prometheus's own linter on a service's exposition.</summary>
public static class Promtool
{
    /// <summary>Runs <c>promtool check metrics</c> on <paramref name="exposition"/>.</summary>
    public static Task<ToolResult> CheckMetricsAsync(string exposition) => Tool.RunAsync("promtool", ["check", "metrics"], stdin: exposition);
}
