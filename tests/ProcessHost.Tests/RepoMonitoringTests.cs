using Warehouse.ProcessHost.Monitoring;
using System.Text.Json;
using Warehouse.ProcessHost.Hosting;
using Warehouse.ProcessHost.Tests.Infrastructure;
using Warehouse.Testing;

namespace Warehouse.ProcessHost.Tests;

/// <summary>The repository's own monitoring/ files run under ProcessHost exactly as the CLI uses them.</summary>
public sealed class RepoMonitoringTests : IAsyncLifetime
{
    private readonly TempDir _dataDir = TestPlatform.NewDataDir();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private Platform _platform = null!;

    public async Task InitializeAsync()
    {
        _platform = new Platform(TestPlatform.Options(_dataDir.Path) with { MonitoringDir = Path.Combine(TestPlatform.RepoRoot, "monitoring") });
        await _platform.StartAsync();
    }

    public Task DisposeAsync() => Teardown.DisposeAllAsync(_http, _platform, _dataDir);

    [Fact]
    public async Task Prometheus_loads_the_repo_rules_and_Alertmanager_the_repo_routes()
    {
        using var rules = await GetJsonAsync(_platform.Url("prometheus") + "/api/v1/rules");
        var groups = rules.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray().ToList();
        var ruleFiles = Directory.GetFiles(Path.Combine(TestPlatform.RepoRoot, "monitoring", "prometheus", "rules"), "*.yml");
        Assert.NotEmpty(groups);
        Assert.Equal(ruleFiles.Length, groups.Select(g => g.GetProperty("file").GetString()).Distinct().Count());

        // The copied config is the repo's file, byte for byte.
        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(TestPlatform.RepoRoot, "monitoring", "prometheus", "prometheus.local.yml")),
            await File.ReadAllTextAsync(_dataDir.Combine("prometheus", "prometheus.yml")));

        using var status = await GetJsonAsync(_platform.Url("alertmanager") + "/api/v2/status");
        var original = status.RootElement.GetProperty("config").GetProperty("original").GetString()!;
        var repoConfig = await File.ReadAllTextAsync(Path.Combine(TestPlatform.RepoRoot, "monitoring", "alertmanager", "alertmanager.yml"));
        // Alertmanager reports its normalised config: the localised PagerDuty URL, and no relay host.
        Assert.Contains("http://127.0.0.1:9/pagerduty/", original);
        Assert.DoesNotContain("alert-relay:9095", original);

        // Receiver secrets are local placeholders, never real credentials: one per secret the config names.
        var secrets = _dataDir.Combine("alertmanager", "secrets");
        Assert.Equal(AlertmanagerLayout.SecretFiles(repoConfig).Order(), Directory.GetFiles(secrets).Select(Path.GetFileName).Order());
        foreach (var file in Directory.GetFiles(secrets))
        {
            Assert.Contains("processhost-placeholder", await File.ReadAllTextAsync(file));
        }
    }

    private async Task<JsonDocument> GetJsonAsync(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Authorization", _platform.MonitoringAuthorization);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
