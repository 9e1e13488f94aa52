using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Monitoring.Tests.Infrastructure;
using Warehouse.Testing;

namespace Monitoring.Tests.Backups;

/// <summary>
/// scripts/backup-grafana.sh and restore-grafana.sh against a fake Grafana HTTP API (Grafana itself cannot run
/// here) that serves the repository's dashboards: the export writes them back unchanged, the restore posts them.
/// </summary>
public sealed class GrafanaExportTests : IAsyncLifetime
{
    private const string Password = "grafana-test-password";
    private readonly HttpRecorder _grafana = new();
    private readonly TempDir _dir = new("grafana-backup");

    public GrafanaExportTests()
    {
        var search = new JsonArray(Dashboards.All.Select(d => (JsonNode)new JsonObject { ["uid"] = (string?)d.Json["uid"] }).ToArray());
        _grafana.Respond("/api/search", 200, search.ToJsonString());
        foreach (var dashboard in Dashboards.All)
        {
            var body = new JsonObject { ["dashboard"] = dashboard.Json.DeepClone(), ["meta"] = new JsonObject { ["folderTitle"] = dashboard.Folder } };
            _grafana.Respond($"/api/dashboards/uid/{dashboard.Json["uid"]}", 200, body.ToJsonString());
        }
    }

    private Dictionary<string, string> Environment => new()
    {
        ["GRAFANA_URL"] = _grafana.BaseUrl,
        ["GRAFANA_PASSWORD_FILE"] = _dir.WriteFile("password", Password),
    };

    [Fact]
    public async Task Export_then_restore_round_trips_every_dashboard_with_its_folder()
    {
        var exportDir = _dir.Combine("export");

        var backup = await Tool.RunAsync("bash", [Path.Combine(RepoPaths.Scripts, "backup-grafana.sh"), exportDir], environment: Environment);

        Assert.True(backup.ExitCode == 0, backup.ToString());
        Assert.Contains($"exported {Dashboards.All.Count} dashboard(s)", backup.StdOut);
        var expectedAuth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{Password}"))).ToString();
        Assert.All(_grafana.Requests, r => Assert.Equal(expectedAuth, r.Authorization));
        foreach (var dashboard in Dashboards.All)
        {
            var exported = JsonNode.Parse(File.ReadAllText(Path.Combine(exportDir, dashboard.Folder, $"{dashboard.Json["uid"]}.json")))!;
            Assert.Equal((string?)dashboard.Json["title"], (string?)exported["title"]);
            Assert.True(JsonNode.DeepEquals(dashboard.Json["panels"], exported["panels"]), $"{dashboard} panels changed in the export");
        }

        var restore = await Tool.RunAsync("bash", [Path.Combine(RepoPaths.Scripts, "restore-grafana.sh"), exportDir], environment: Environment);

        Assert.True(restore.ExitCode == 0, restore.ToString());
        var posted = _grafana.Requests.Where(r => r is { Method: "POST", Path: "/api/dashboards/db" }).Select(r => JsonNode.Parse(r.Body)!).ToList();
        Assert.Equal(Dashboards.All.Select(d => (string?)d.Json["uid"]).Order(), posted.Select(p => (string?)p["dashboard"]!["uid"]).Order());
        Assert.All(posted, p => Assert.True((bool)p["overwrite"]!));
        Assert.Contains(posted, p => (string?)p["folderUid"] == "infrastructure" && (string?)p["dashboard"]!["uid"] == "postgres");
        var folders = _grafana.Requests.Where(r => r is { Method: "POST", Path: "/api/folders" }).Select(r => (string?)JsonNode.Parse(r.Body)!["title"]);
        Assert.Equal(Dashboards.All.Select(d => d.Folder).Distinct().Order(), folders.Order());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Teardown.DisposeAllAsync(_grafana, _dir);
}
