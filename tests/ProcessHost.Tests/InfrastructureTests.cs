using System.Net;
using System.Text.Json;
using Npgsql;
using Warehouse.ProcessHost.Health;
using Warehouse.ProcessHost.Hosting;
using Warehouse.ProcessHost.Secrets;
using Warehouse.ProcessHost.Tests.Infrastructure;
using Warehouse.Testing;

namespace Warehouse.ProcessHost.Tests;

/// <summary>The infrastructure (Postgres, Redis, exporters, Alertmanager, Prometheus) as real processes.</summary>
public sealed class InfrastructureTests(InfrastructureFixture fixture) : IClassFixture<InfrastructureFixture>
{
    private static readonly string[] InfraComponents =
    [
        "postgres", "redis", "node-exporter", "postgres-exporter", "redis-exporter", "blackbox-exporter", "alertmanager", "prometheus",
    ];

    private Platform Platform => fixture.Platform;

    [Fact]
    public void Endpoints_file_lists_every_component_with_its_URL_and_PID()
    {
        var file = EndpointsFile.Read(Path.Combine(fixture.DataDir, "endpoints.json"));

        Assert.Equal(InfraComponents.Order(), file.Endpoints.Keys.Order());
        Assert.Equal(InfraComponents.Order(), file.Pids.Keys.Order());
        Assert.Equal($"http://127.0.0.1:{Platform.Ports["prometheus"]}", file.Endpoints["prometheus"]);
        Assert.Equal($"http://127.0.0.1:{Platform.Ports["alertmanager"]}", file.Endpoints["alertmanager"]);
        Assert.Equal($"redis://127.0.0.1:{Platform.Ports["redis"]}", file.Endpoints["redis"]);
        Assert.Equal($"postgresql://127.0.0.1:{Platform.Ports["postgres"]}/warehousedb", file.Endpoints["postgres"]);
        foreach (var (name, pid) in file.Pids)
        {
            Assert.Equal(Platform.ProcessIds[name], pid);
            Assert.False(ProcessAssert.IsGone(pid), $"{name} pid {pid} is not running");
        }

        // The pid is the server itself (setsid/setpriv exec in place), not a wrapper.
        Assert.Contains("postgres", File.ReadAllText($"/proc/{file.Pids["postgres"]}/comm"));
        Assert.Contains("redis-server", File.ReadAllText($"/proc/{file.Pids["redis"]}/comm"));

        // The raw JSON shape other tools read.
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture.DataDir, "endpoints.json")));
        Assert.Equal(JsonValueKind.Object, json.RootElement.GetProperty("endpoints").ValueKind);
        Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("pids").GetProperty("prometheus").ValueKind);
    }

    [Fact]
    public void Start_times_are_recorded_per_component_and_in_total()
    {
        foreach (var name in InfraComponents.Append("total"))
        {
            Assert.True(Platform.StartTimes.ContainsKey(name), $"no start time for {name}");
        }
    }

    [Fact]
    public async Task Prometheus_answers_only_with_basic_auth()
    {
        var url = Platform.Url("prometheus") + "/api/v1/status/config";
        using var anonymous = await fixture.Http.SendAsync(fixture.Get(url, authenticated: false));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, url);
        wrong.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String("monitoring:wrong"u8.ToArray()));
        using var wrongResponse = await fixture.Http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);

        using var authenticated = await fixture.Http.SendAsync(fixture.Get(url, authenticated: true));
        Assert.Equal(HttpStatusCode.OK, authenticated.StatusCode);
    }

    [Fact]
    public async Task Alertmanager_answers_only_with_basic_auth()
    {
        var url = Platform.Url("alertmanager") + "/api/v2/status";
        using var anonymous = await fixture.Http.SendAsync(fixture.Get(url, authenticated: false));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var authenticated = await fixture.Http.SendAsync(fixture.Get(url, authenticated: true));
        Assert.Equal(HttpStatusCode.OK, authenticated.StatusCode);
    }

    [Fact]
    public async Task Prometheus_scrapes_every_target_from_the_file_SD_files()
    {
        string[] jobs = ["node", "postgres", "redis", "prometheus", "alertmanager"];
        Dictionary<string, (string Health, string Instance, string Error)> targets = [];
        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await fixture.Http.SendAsync(fixture.Get(Platform.Url("prometheus") + "/api/v1/targets?state=active", authenticated: true));
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                targets = json.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
                    .ToDictionary(
                        t => t.GetProperty("labels").GetProperty("job").GetString()!,
                        t => (t.GetProperty("health").GetString()!, t.GetProperty("labels").GetProperty("instance").GetString()!, t.GetProperty("lastError").GetString()!));
                return jobs.All(j => targets.TryGetValue(j, out var t) && t.Health == "up");
            },
            TimeSpan.FromSeconds(30),
            () => "not every job is up: " + string.Join("; ", jobs.Select(j => targets.TryGetValue(j, out var t) ? $"{j} {t.Health} {t.Error}" : $"{j} missing")));

        Assert.Equal($"127.0.0.1:{Platform.Ports["node-exporter"]}", targets["node"].Instance);
        Assert.Equal($"127.0.0.1:{Platform.Ports["postgres-exporter"]}", targets["postgres"].Instance);
        Assert.Equal($"127.0.0.1:{Platform.Ports["redis-exporter"]}", targets["redis"].Instance);
        Assert.Equal($"127.0.0.1:{Platform.Ports["alertmanager"]}", targets["alertmanager"].Instance);

        // The exporters reach their databases with the generated passwords.
        Assert.Equal("1", await QueryScalarAsync("pg_up"));
        Assert.Equal("1", await QueryScalarAsync("redis_up"));

        // Rules come from the rules/ symlink; Alertmanager from alertmanagers.json (basic auth).
        Assert.Equal("1", await QueryScalarAsync("count(processhost_test:up:count)"));
        using var alertmanagers = await fixture.Http.SendAsync(fixture.Get(Platform.Url("prometheus") + "/api/v1/alertmanagers", authenticated: true));
        Assert.Contains($"127.0.0.1:{Platform.Ports["alertmanager"]}", await alertmanagers.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Postgres_requires_the_generated_password()
    {
        var port = Platform.Ports["postgres"];
        var wrong = $"Host=127.0.0.1;Port={port};Username=postgres;Password=wrong;Database=warehousedb;Pooling=false";
        var error = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var connection = new NpgsqlConnection(wrong);
            await connection.OpenAsync();
        });
        Assert.Equal("28P01", error.SqlState); // invalid_password

        await using var ok = new NpgsqlConnection(Platform.PostgresConnectionString() + ";Pooling=false");
        await ok.OpenAsync();
        await using var command = new NpgsqlCommand("select current_database()", ok);
        Assert.Equal("warehousedb", await command.ExecuteScalarAsync());
        Assert.Contains(Platform.Secrets.PostgresPassword, Platform.PostgresConnectionString());
    }

    [Fact]
    public async Task Redis_requires_the_generated_password()
    {
        var port = Platform.Ports["redis"];
        Assert.False(await Probes.RedisPingAsync(port, null, CancellationToken.None));
        Assert.False(await Probes.RedisPingAsync(port, "wrong", CancellationToken.None));
        Assert.True(await Probes.RedisPingAsync(port, Platform.Secrets.RedisPassword, CancellationToken.None));
        Assert.Equal($"127.0.0.1:{port},password={Platform.Secrets.RedisPassword}", Platform.RedisConnectionString);
    }

    [Fact]
    public void Secrets_are_private_and_the_web_config_hash_matches()
    {
        var secretsFile = Path.Combine(fixture.DataDir, "secrets.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secretsFile));
        var secrets = PlatformSecrets.Load(secretsFile);
        Assert.Equal(Platform.Secrets, secrets);
        Assert.True(Convert.FromBase64String(secrets.JwtSigningKey).Length >= 32);

        var webYml = File.ReadAllText(Path.Combine(fixture.DataDir, "prometheus", "web.yml"));
        var hash = webYml.Split('\'')[1];
        Assert.StartsWith("$2a$10$", hash);
        Assert.True(BCrypt.Net.BCrypt.Verify(secrets.MonitoringPassword, hash));
        Assert.Equal(secrets.MonitoringPassword, File.ReadAllText(Path.Combine(fixture.DataDir, "prometheus", "secrets", "monitoring_password")));

        // No password on any command line.
        foreach (var pid in Platform.ProcessIds.Values)
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            Assert.DoesNotContain(secrets.PostgresPassword, cmdline);
            Assert.DoesNotContain(secrets.RedisPassword, cmdline);
            Assert.DoesNotContain(secrets.MonitoringPassword, cmdline);
        }
    }

    /// <summary>The value of the first series <paramref name="promql"/> returns, once it returns one.</summary>
    private Task<string> QueryScalarAsync(string promql) =>
        Eventually.FoundAsync(() => fixture.Monitoring.ScalarAsync(promql), TimeSpan.FromSeconds(20), () => $"{promql} returned no series");
}
