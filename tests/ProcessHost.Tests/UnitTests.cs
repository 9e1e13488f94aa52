using System.IdentityModel.Tokens.Jwt;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Warehouse.ProcessHost.Cli;
using Warehouse.ProcessHost.Components;
using Warehouse.ProcessHost.Hosting;
using Warehouse.ProcessHost.Monitoring;
using Warehouse.ProcessHost.Secrets;
using Warehouse.ProcessHost.Tests.Infrastructure;
using Warehouse.ProcessHost.Tokens;

namespace Warehouse.ProcessHost.Tests;

/// <summary>The pieces that need no running process.</summary>
public sealed class UnitTests
{
    [Fact]
    public void Tokens_validate_with_the_contract_issuer_audience_and_role()
    {
        var secrets = PlatformSecrets.Generate();
        var token = new TokenIssuer(secrets.JwtSigningKey).Mint("operator", "WH1", "alice");

        var principal = new JwtSecurityTokenHandler { MapInboundClaims = false }.ValidateToken(token, new TokenValidationParameters
        {
            ValidIssuer = "warehouse-platform",
            ValidAudience = "warehouse-api",
            IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(secrets.JwtSigningKey)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        }, out _);

        Assert.Equal("operator", principal.FindFirst("role")!.Value);
        Assert.Equal("WH1", principal.FindFirst("warehouse")!.Value);
        Assert.Equal("alice", principal.FindFirst("sub")!.Value);
    }

    [Fact]
    public void Secrets_are_generated_once_persisted_privately_and_reused()
    {
        using var dir = TestPlatform.NewDataDir();
        var path = Path.Combine(dir.Path, "secrets.json");
        var first = PlatformSecrets.LoadOrCreate(path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(first, PlatformSecrets.LoadOrCreate(path));
        Assert.NotEqual(first.PostgresPassword, first.RedisPassword);
        Assert.Equal(32, first.PostgresPassword.Length);
        Assert.NotEqual(first, PlatformSecrets.Generate());
    }

    [Fact]
    public void CLI_parses_ports_flags_and_the_token_command()
    {
        var run = CliArgs.Parse(["--reset", "--no-build", "--port", "apigateway=8100", "--port", "redis=6380", "-c", "Release"]);
        Assert.Equal("run", run.Command);
        Assert.True(run.Reset);
        Assert.True(run.NoBuild);
        Assert.Equal("Release", run.Configuration);
        Assert.Equal(new Dictionary<string, int> { ["apigateway"] = 8100, ["redis"] = 6380 }, run.Ports);

        var token = CliArgs.Parse(["token", "--role", "planner", "--warehouse", "WH2", "--sub", "bob"]);
        Assert.Equal(("token", "planner", "WH2", "bob"), (token.Command, token.Role, token.Warehouse, token.Subject));

        Assert.Throws<PlatformException>(() => CliArgs.Parse(["--port", "nosuch=1"]));
        Assert.Throws<PlatformException>(() => CliArgs.Parse(["--bogus"]));
    }

    [Fact]
    public void Seed_ports_follow_the_contract()
    {
        var ports = PlatformPorts.Defaults();
        Assert.Equal(8000, ports["apigateway"]);
        Assert.Equal(8001, ports["taskservice"]);
        Assert.Equal(8003, ports["importservice"]);
        Assert.Equal(8004, ports["realtimeworker"]);
        Assert.Equal(5432, ports["postgres"]);
        Assert.Equal(6379, ports["redis"]);
        Assert.Equal(9090, ports["prometheus"]);
        Assert.Equal(9093, ports["alertmanager"]);
        Assert.Equal(9100, ports["node-exporter"]);
        Assert.Equal(9187, ports["postgres-exporter"]);
        Assert.Equal(9121, ports["redis-exporter"]);
        Assert.Equal(9115, ports["blackbox-exporter"]);
    }

    [Fact]
    public void Target_files_follow_the_contract_layout()
    {
        using var dir = TestPlatform.NewDataDir();
        var options = TestPlatform.Options(dir.Path) with { UseFreePorts = false, IncludeServices = true };
        var context = new ComponentContext(options, new PlatformPaths(options), options.Ports, PlatformSecrets.Generate());
        PrometheusLayout.WriteTargets(context);
        var targets = Path.Combine(dir.Path, "prometheus", "targets");

        string[] expected =
        [
            "alertmanager.json", "alertmanagers.json", "apigateway.json", "blackbox.json", "importservice.json", "node.json",
            "postgres.json", "prometheus.json", "realtimeworker.json", "redis.json", "taskservice.json",
        ];
        Assert.Equal(expected, Directory.GetFiles(targets).Select(Path.GetFileName).Order());
        Assert.Equal("""[{"targets":["127.0.0.1:8001"]}]""", Compact(Path.Combine(targets, "taskservice.json")));
        Assert.Equal("""[{"targets":["127.0.0.1:9187"]}]""", Compact(Path.Combine(targets, "postgres.json")));
        Assert.Equal("""[{"targets":["127.0.0.1:9093"]}]""", Compact(Path.Combine(targets, "alertmanagers.json")));

        using var blackbox = JsonDocument.Parse(File.ReadAllText(Path.Combine(targets, "blackbox.json")));
        var groups = blackbox.RootElement.EnumerateArray().ToList();
        Assert.Equal(8, groups.Count);
        var alive = groups.Single(g => g.GetProperty("labels").GetProperty("service").GetString() == "taskservice"
                                       && g.GetProperty("labels").GetProperty("probe").GetString() == "alive");
        Assert.Equal("127.0.0.1:9115", alive.GetProperty("targets")[0].GetString());
        Assert.Equal("http://127.0.0.1:8001/alive", alive.GetProperty("labels").GetProperty("__param_target").GetString());
        Assert.Equal("http_2xx", alive.GetProperty("labels").GetProperty("__param_module").GetString());
    }

    [Fact]
    public void Services_get_exactly_the_configuration_contract()
    {
        using var dir = TestPlatform.NewDataDir();
        var options = TestPlatform.Options(dir.Path) with { UseFreePorts = false };
        var secrets = PlatformSecrets.Generate();
        var context = new ComponentContext(options, new PlatformPaths(options), options.Ports, secrets);
        var env = new ServiceComponent("importservice", context).BuildEnvironment();

        Assert.Equal("http://127.0.0.1:8003", env["ASPNETCORE_URLS"]);
        Assert.Equal("importservice", env["OTEL_SERVICE_NAME"]);
        Assert.Equal($"Host=127.0.0.1;Port=5432;Username=postgres;Password={secrets.PostgresPassword};Database=warehousedb", env["ConnectionStrings__warehousedb"]);
        Assert.Equal($"127.0.0.1:6379,password={secrets.RedisPassword}", env["ConnectionStrings__redis"]);
        Assert.Equal("http://127.0.0.1:8001", env["services__taskservice__http__0"]);
        Assert.Equal("http://127.0.0.1:8003", env["services__importservice__http__0"]);
        Assert.Equal("http://127.0.0.1:8004", env["services__realtimeworker__http__0"]);
        Assert.Equal("warehouse-platform", env["Jwt__Issuer"]);
        Assert.Equal("warehouse-api", env["Jwt__Audience"]);
        Assert.Equal(secrets.JwtSigningKey, env["Jwt__SigningKey"]);
        Assert.Equal(Path.Combine(dir.Path, "faults", "importservice.json"), env["Faults__File"]);
        Assert.Equal(Path.Combine(dir.Path, "imports"), env["Imports__SpoolDirectory"]);
        Assert.False(env.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.False(new ServiceComponent("taskservice", context).BuildEnvironment().ContainsKey("Imports__SpoolDirectory"));
    }

    [Fact]
    public void Alertmanager_secret_file_references_are_found()
    {
        const string config = """
            global:
              smtp_auth_password_file: 'secrets/smtp_password'
            receivers:
              - name: a
                slack_configs:
                  - api_url_file: "secrets/slack_url"
                pagerduty_configs:
                  - routing_key_file: secrets/pagerduty_routing_key
            """;
        Assert.Equal(["smtp_password", "slack_url", "pagerduty_routing_key"], AlertmanagerLayout.SecretFiles(config));
    }

    [Fact]
    public void The_Alertmanager_copy_sends_nothing_off_the_machine()
    {
        var repoConfig = File.ReadAllText(Path.Combine(PlatformOptions.FindRepoRoot(), "monitoring", "alertmanager", "alertmanager.yml"));

        var localised = AlertmanagerLayout.Localise(repoConfig, "http://127.0.0.1:5555/hook");

        Assert.DoesNotContain(AlertmanagerLayout.RelayUrl, localised);
        Assert.Contains("url: 'http://127.0.0.1:5555/hook/alerts'", localised);
        Assert.Contains("smtp_smarthost: '127.0.0.1:9'", localised);
        Assert.Contains("global:\n  pagerduty_url: 'http://127.0.0.1:9/pagerduty/'\n", localised);
        Assert.Equal(repoConfig.Split('\n').Length + 1, localised.Split('\n').Length);
    }

    private static string Compact(string path) => JsonSerializer.Serialize(JsonDocument.Parse(File.ReadAllText(path)).RootElement);
}
