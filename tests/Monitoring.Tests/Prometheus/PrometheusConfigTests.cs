using System.Text.RegularExpressions;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Prometheus;

/// <summary>What the two Prometheus configs must contain for their host mode (beyond promtool's syntax check).</summary>
public class PrometheusConfigTests
{
    private static readonly string[] Services = ["apigateway", "taskservice", "importservice", "realtimeworker"];
    private static readonly string[] Exporters = ["node", "postgres", "redis"];

    private static Dictionary<object, object> Load(string file) => Yaml.LoadMap(Path.Combine(RepoPaths.PrometheusDir, file));

    private static Dictionary<string, Dictionary<object, object>> Jobs(Dictionary<object, object> config) =>
        config.List("scrape_configs").Cast<Dictionary<object, object>>().ToDictionary(j => j.Str("job_name")!);

    [Theory]
    [InlineData("prometheus.local.yml", "local")]
    [InlineData("prometheus.containers.yml", "containers")]
    public void Both_modes_load_the_rules_and_carry_external_labels(string file, string mode)
    {
        var config = Load(file);
        Assert.Equal(["rules/*.yml"], config.Strings("rule_files"));
        var labels = config.Map("global").Map("external_labels");
        Assert.Equal(mode, labels.Str("host_mode"));
        Assert.Equal("warehouse", labels.Str("platform"));
        Assert.NotNull(labels.Str("environment"));
    }

    [Theory]
    [InlineData("prometheus.local.yml")]
    [InlineData("prometheus.containers.yml")]
    public void Monitoring_stack_is_reached_with_basic_auth_from_the_password_file(string file)
    {
        var config = Load(file);
        var jobs = Jobs(config);
        var alerting = (Dictionary<object, object>)config.Map("alerting").List("alertmanagers").Single();
        foreach (var auth in new[] { jobs["prometheus"].Map("basic_auth"), jobs["alertmanager"].Map("basic_auth"), alerting.Map("basic_auth") })
        {
            Assert.Equal("monitoring", auth.Str("username"));
            Assert.Equal("secrets/monitoring_password", auth.Str("password_file"));
        }
    }

    [Fact]
    public void Local_flavour_scrapes_every_job_from_its_own_file_sd_file()
    {
        var config = Load("prometheus.local.yml");
        var jobs = Jobs(config);
        Assert.Equal(Services.Concat(Exporters).Concat(["blackbox", "prometheus", "alertmanager"]).Order(), jobs.Keys.Order());
        foreach (var (name, job) in jobs)
        {
            var sd = (Dictionary<object, object>)job.List("file_sd_configs").Single();
            Assert.Equal([$"targets/{name}.json"], sd.Strings("files"));
        }

        var alerting = (Dictionary<object, object>)config.Map("alerting").List("alertmanagers").Single();
        Assert.Equal(["targets/alertmanagers.json"], ((Dictionary<object, object>)alerting.List("file_sd_configs").Single()).Strings("files"));
        var relabel = (Dictionary<object, object>)jobs["blackbox"].List("relabel_configs").Single();
        Assert.Equal("/probe", jobs["blackbox"].Str("metrics_path"));
        Assert.Equal(["__param_target"], relabel.Strings("source_labels"));
        Assert.Equal("instance", relabel.Str("target_label"));
    }

    [Fact]
    public void AppHost_has_no_service_scrape_jobs_and_finds_the_rest_by_container_name()
    {
        var config = Load("prometheus.containers.yml");
        var jobs = Jobs(config);
        Assert.Empty(Services.Intersect(jobs.Keys)); // services arrive by OTLP
        var targets = jobs.Where(j => j.Value.ContainsKey("static_configs")).ToDictionary(
            j => j.Key,
            j => j.Value.List("static_configs").SelectMany(s => s.Strings("targets")).ToList());
        Assert.Equal(["node-exporter:9100"], targets["node"]);
        Assert.Equal(["postgres-exporter:9187"], targets["postgres"]);
        Assert.Equal(["redis-exporter:9121"], targets["redis"]);

        // Every copy of every service is probed from the file the AppHost writes (AppHost.Tests: ContainerReplicaModelTests),
        // named by the URL it probes, as in the local flavour.
        var blackbox = jobs["blackbox"];
        Assert.Equal(["targets/blackbox.json"], ((Dictionary<object, object>)blackbox.List("file_sd_configs").Single()).Strings("files"));
        var relabel = (Dictionary<object, object>)blackbox.List("relabel_configs").Single();
        Assert.Equal(["__param_target"], relabel.Strings("source_labels"));
        Assert.Equal("instance", relabel.Str("target_label"));
    }

    /// <summary>
    /// The HA pair (issue 24): every Prometheus and Alertmanager instance comes from the file_sd files the AppHost writes
    /// (Warehouse.Hosting's PrometheusTargets), one target per instance, in both flavours; each replica carries its own
    /// <c>replica</c> label, which alerts drop so that the two replicas' alerts are one to Alertmanager.
    /// </summary>
    [Theory]
    [InlineData("prometheus.local.yml")]
    [InlineData("prometheus.containers.yml")]
    public void The_HA_pair_labels_its_replica_drops_it_from_alerts_and_finds_every_instance_by_file_sd(string file)
    {
        var config = Load(file);
        var jobs = Jobs(config);

        Assert.Equal("${PROMETHEUS_REPLICA}", config.Map("global").Map("external_labels").Str("replica"));
        var drop = (Dictionary<object, object>)config.Map("alerting").List("alert_relabel_configs").Single();
        Assert.Equal(("labeldrop", "replica"), (drop.Str("action"), drop.Str("regex")));
        var alerting = (Dictionary<object, object>)config.Map("alerting").List("alertmanagers").Single();
        Assert.Equal(["targets/alertmanagers.json"], ((Dictionary<object, object>)alerting.List("file_sd_configs").Single()).Strings("files"));
        foreach (var job in new[] { "prometheus", "alertmanager" })
        {
            Assert.Equal([$"targets/{job}.json"], ((Dictionary<object, object>)jobs[job].List("file_sd_configs").Single()).Strings("files"));
        }
    }

    [Fact]
    public void Retention_is_set_by_time_and_by_size()
    {
        var flags = File.ReadAllLines(Path.Combine(RepoPaths.PrometheusDir, "prometheus.flags"));
        Assert.Contains(flags, f => f.StartsWith("--storage.tsdb.retention.time=", StringComparison.Ordinal));
        Assert.Contains(flags, f => f.StartsWith("--storage.tsdb.retention.size=", StringComparison.Ordinal));
        Assert.Contains("--web.enable-admin-api", flags);
    }

    /// <summary>The budget panel and the 3-day burn window read the whole SLO window: Prometheus must still hold it.</summary>
    [Fact]
    public void Retention_covers_the_slo_objective_window()
    {
        var flag = File.ReadAllLines(Path.Combine(RepoPaths.PrometheusDir, "prometheus.flags"))
            .Single(f => f.StartsWith("--storage.tsdb.retention.time=", StringComparison.Ordinal));
        var retention = Regex.Match(flag, "=([0-9]+)d$");
        Assert.True(retention.Success, $"retention not in days: {flag}");

        var window = Regex.Match(
            File.ReadAllText(Path.Combine(RepoPaths.PrometheusDir, "generate_slo_rules.py")), "(?m)^WINDOW_DAYS = ([0-9]+)$");
        Assert.True(window.Success, "WINDOW_DAYS not found in generate_slo_rules.py");
        Assert.True(int.Parse(retention.Groups[1].Value) >= int.Parse(window.Groups[1].Value),
            $"retention {retention.Groups[1].Value}d is shorter than the {window.Groups[1].Value}-day SLO window");
    }

    /// <summary>
    /// The SLO's downtime term counts a window once it holds 90% of the probes it should, computed from the generator's
    /// PROBE_INTERVAL_SECONDS: that must be the blackbox job's scrape interval in both flavours.
    /// </summary>
    [Theory]
    [InlineData("prometheus.local.yml")]
    [InlineData("prometheus.containers.yml")]
    public void Slo_probe_interval_is_the_blackbox_jobs_scrape_interval(string configFile)
    {
        var probe = Regex.Match(
            File.ReadAllText(Path.Combine(RepoPaths.PrometheusDir, "generate_slo_rules.py")), "(?m)^PROBE_INTERVAL_SECONDS = ([0-9]+)$");
        Assert.True(probe.Success, "PROBE_INTERVAL_SECONDS not found in generate_slo_rules.py");
        var blackbox = Regex.Match(
            File.ReadAllText(Path.Combine(RepoPaths.PrometheusDir, configFile)), @"job_name: blackbox\n(?:\s+\S.*\n)*?\s+scrape_interval: ([0-9]+)s");
        Assert.True(blackbox.Success, $"no scrape_interval for the blackbox job in {configFile}");
        Assert.Equal(probe.Groups[1].Value, blackbox.Groups[1].Value);
    }
}
