using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Monitoring.Tests.Infrastructure;
using Warehouse.Testing;

namespace Monitoring.Tests.Backups;

/// <summary>
/// scripts/backup-grafana.sh from one Grafana, restore-grafana.sh into a new, empty one (<see cref="GrafanaApi"/>:
/// Grafana's API with its rules and state): every dashboard comes back whole, in its folder, and a second restore
/// overwrites rather than fails.
/// </summary>
public sealed class GrafanaExportTests : IAsyncLifetime
{
    private const string User = "admin";
    private const string Password = "grafana-test-password";
    private readonly TempDir _dir = new("grafana-backup");
    private GrafanaApi _source = null!;
    private GrafanaApi _target = null!;

    public async Task InitializeAsync()
    {
        (_source, _target) = (await GrafanaApi.StartAsync(User, Password), await GrafanaApi.StartAsync(User, Password));
        // The source holds the repository's dashboards in their folders, as provisioning would put them.
        using var http = new HttpClient { BaseAddress = new Uri(_source.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        foreach (var folder in Dashboards.All.Select(d => d.Folder).Distinct())
        {
            (await http.PostAsJsonAsync("/api/folders", new { uid = "src-" + folder.ToLowerInvariant(), title = folder })).EnsureSuccessStatusCode();
        }

        foreach (var dashboard in Dashboards.All)
        {
            var body = new JsonObject { ["dashboard"] = dashboard.Json.DeepClone(), ["folderUid"] = "src-" + dashboard.Folder.ToLowerInvariant() };
            (await http.PostAsJsonAsync("/api/dashboards/db", body)).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task Export_then_restore_into_a_new_Grafana_brings_back_every_dashboard_in_its_folder()
    {
        var exportDir = _dir.Combine("export");

        var backup = await RunAsync("backup-grafana.sh", _source, exportDir);
        Assert.Contains($"exported {Dashboards.All.Count} dashboard(s)", backup);
        var restore = await RunAsync("restore-grafana.sh", _target, exportDir);
        Assert.Contains($"restored {Dashboards.All.Count} dashboard(s)", restore);

        var (before, after) = (_source.Dashboards, _target.Dashboards);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (uid, (dashboard, folder)) in before)
        {
            var (restored, restoredFolder) = after[uid];
            Assert.Equal(folder, restoredFolder);
            Assert.True(JsonNode.DeepEquals(WithoutIdentity(dashboard), WithoutIdentity(restored)), $"{uid} changed in the round trip");
        }

        // A second restore of the same backup overwrites: same dashboards, next version.
        await RunAsync("restore-grafana.sh", _target, exportDir);
        Assert.All(_target.Dashboards.Values, d => Assert.Equal(2, (int)d.Dashboard["version"]!));
    }

    [Fact]
    public async Task A_wrong_password_fails_the_export_and_writes_nothing()
    {
        var exportDir = _dir.Combine("refused");
        var result = await Tool.RunAsync("bash", [Path.Combine(RepoPaths.Scripts, "backup-grafana.sh"), exportDir], environment: new Dictionary<string, string>
        {
            ["GRAFANA_URL"] = _source.Url,
            ["GRAFANA_PASSWORD_FILE"] = _dir.WriteFile("wrong-password", "not-" + Password),
        });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("401", result.Output);
        Assert.Empty(Directory.EnumerateFiles(exportDir, "*.json", SearchOption.AllDirectories));
    }

    public Task DisposeAsync() => Teardown.DisposeAllAsync(_source, _target, _dir);

    private async Task<string> RunAsync(string script, GrafanaApi grafana, string directory)
    {
        var result = await Tool.RunAsync("bash", [Path.Combine(RepoPaths.Scripts, script), directory], environment: new Dictionary<string, string>
        {
            ["GRAFANA_URL"] = grafana.Url,
            ["GRAFANA_PASSWORD_FILE"] = _dir.WriteFile("password", Password),
        });
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StdOut;
    }

    /// <summary>Each Grafana assigns its own id and version.</summary>
    private static JsonNode WithoutIdentity(JsonObject dashboard)
    {
        var copy = (JsonObject)dashboard.DeepClone();
        copy.Remove("id");
        copy.Remove("version");
        return copy;
    }
}
