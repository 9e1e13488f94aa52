using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;
using Monitoring.Tests.Infrastructure;
using Warehouse.Hosting.Monitoring;

namespace Monitoring.Tests.Prometheus;

/// <summary>
/// What the one Prometheus config of both flavours must contain (beyond promtool's syntax check): every target comes
/// from a file_sd file the AppHost writes, so the flavours differ only in those files and the environment.
/// </summary>
public class PrometheusConfigTests
{
    private static readonly string[] Services = ["apigateway", "taskservice", "importservice", "realtimeworker"];
    private static readonly string[] Exporters = ["node", "postgres", "redis", "otel-collector"];

    private static Dictionary<object, object> Load() => Yaml.LoadMap(LocalPrometheusLayout.Layout.ConfigPath);

    private static Dictionary<string, Dictionary<object, object>> Jobs(Dictionary<object, object> config) =>
        config.List("scrape_configs").Cast<Dictionary<object, object>>().ToDictionary(j => j.Str("job_name")!);

    [Fact]
    public void It_loads_the_rules_and_carries_external_labels_the_flavour_sets()
    {
        var config = Load();
        Assert.Equal(["rules/*.yml"], config.Strings("rule_files"));
        var labels = config.Map("global").Map("external_labels");
        Assert.Equal("${PROMETHEUS_HOST_MODE}", labels.Str("host_mode"));
        Assert.Equal("warehouse", labels.Str("platform"));
        Assert.NotNull(labels.Str("environment"));
    }

    [Fact]
    public void Monitoring_stack_is_reached_with_basic_auth_from_the_password_file()
    {
        var config = Load();
        var jobs = Jobs(config);
        var alerting = (Dictionary<object, object>)config.Map("alerting").List("alertmanagers").Single();
        foreach (var auth in new[] { jobs["prometheus"].Map("basic_auth"), jobs["alertmanager"].Map("basic_auth"), alerting.Map("basic_auth") })
        {
            Assert.Equal("monitoring", auth.Str("username"));
            Assert.Equal("secrets/monitoring_password", auth.Str("password_file"));
        }
    }

    [Fact]
    public void Every_job_reads_its_targets_from_its_own_file_sd_file_and_none_is_written_here()
    {
        var config = Load();
        var jobs = Jobs(config);
        Assert.Equal(Services.Concat(Exporters).Concat(["blackbox", "prometheus", "alertmanager"]).Order(), jobs.Keys.Order());
        foreach (var (name, job) in jobs)
        {
            var sd = (Dictionary<object, object>)job.List("file_sd_configs").Single();
            Assert.Equal([$"targets/{name}.json"], sd.Strings("files"));
            Assert.False(job.ContainsKey("static_configs"), $"job {name} lists targets in the config");
        }

        var relabel = (Dictionary<object, object>)jobs["blackbox"].List("relabel_configs").Single();
        Assert.Equal("/probe", jobs["blackbox"].Str("metrics_path"));
        Assert.Equal(["__param_target"], relabel.Strings("source_labels"));
        Assert.Equal("instance", relabel.Str("target_label"));
    }

    /// <summary>The OTLP pushes of the containers flavour arrive through the Collector's batches, slightly out of order.</summary>
    [Fact]
    public void Out_of_order_samples_are_accepted_for_the_OTLP_pushes()
    {
        Assert.Equal("30m", Load().Map("storage").Map("tsdb").Str("out_of_order_time_window"));
    }

    /// <summary>
    /// Every file the config reads exists in a run directory (an empty list where the flavour has no targets for the
    /// job), and a target file no job reads is refused: a job renamed on one side only cannot go unnoticed.
    /// </summary>
    [Fact]
    public void Target_files_are_completed_to_what_the_config_reads_and_an_unread_one_is_refused()
    {
        var files = LocalPrometheusLayout.Layout.TargetFiles(new Dictionary<string, string> { ["node.json"] = "[{\"targets\":[\"node:9100\"]}]" });

        Assert.Equal(
            Services.Concat(Exporters).Concat(["blackbox", "prometheus", "alertmanager", "alertmanagers"]).Select(job => job + ".json").Order(),
            files.Keys.Order());
        Assert.Equal("[{\"targets\":[\"node:9100\"]}]", files["node.json"]);
        Assert.Equal("[]", files["taskservice.json"].Trim());
        var refused = Assert.Throws<InvalidOperationException>(() =>
            LocalPrometheusLayout.Layout.TargetFiles(new Dictionary<string, string> { ["nodes.json"] = "[]" }));
        Assert.Contains("targets/nodes.json", refused.Message);
    }

    /// <summary>
    /// A target outside the model (another host's Alertmanager, a test's fake service) is written as its caller gives
    /// it, beside the model's endpoints; a probed one's URLs start at its base address, probed through the exporter.
    /// </summary>
    [Fact]
    public void Targets_outside_the_model_are_written_as_given()
    {
        var prometheus = new EndpointReference(new ContainerResource("prometheus-a"), "http");
        var blackbox = new EndpointReference(new ContainerResource("blackbox-exporter"), "http");

        var files = new PrometheusTargets()
            .Scrape("prometheus", prometheus)
            .Scrape("prometheus", "prometheus.example:9090")
            .Probe("fakeservice", new Uri("http://127.0.0.1:8080/"), blackbox)
            .Files(endpoint => $"{endpoint.Resource.Name}:1");

        Assert.Equal(["prometheus-a:1", "prometheus.example:9090"],
            JsonNode.Parse(files["prometheus.json"])!.AsArray().Single()!["targets"]!.AsArray().Select(t => (string)t!));
        var probes = JsonNode.Parse(files["blackbox.json"])!.AsArray();
        Assert.All(probes, group => Assert.Equal("blackbox-exporter:1", (string?)group!["targets"]![0]));
        Assert.Equal(["http://127.0.0.1:8080/alive", "http://127.0.0.1:8080/health"],
            probes.Select(group => (string)group!["labels"]!["__param_target"]!));
    }

    /// <summary>
    /// The HA pair (issue 24): every Prometheus and Alertmanager instance comes from the file_sd files the AppHost writes
    /// (Warehouse.Hosting's PrometheusTargets), one target per instance, in both flavours; each replica carries its own
    /// <c>replica</c> label, which alerts drop so that the two replicas' alerts are one to Alertmanager.
    /// </summary>
    [Fact]
    public void The_HA_pair_labels_its_replica_drops_it_from_alerts_and_finds_every_instance_by_file_sd()
    {
        var config = Load();
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
    /// PROBE_INTERVAL_SECONDS: that must be the blackbox job's scrape interval.
    /// </summary>
    [Fact]
    public void Slo_probe_interval_is_the_blackbox_jobs_scrape_interval()
    {
        var probe = Regex.Match(
            File.ReadAllText(Path.Combine(RepoPaths.PrometheusDir, "generate_slo_rules.py")), "(?m)^PROBE_INTERVAL_SECONDS = ([0-9]+)$");
        Assert.True(probe.Success, "PROBE_INTERVAL_SECONDS not found in generate_slo_rules.py");
        var blackbox = Regex.Match(
            File.ReadAllText(LocalPrometheusLayout.Layout.ConfigPath), @"job_name: blackbox\n(?:\s+\S.*\n)*?\s+scrape_interval: ([0-9]+)s");
        Assert.True(blackbox.Success, "no scrape_interval for the blackbox job in prometheus.yml");
        Assert.Equal(probe.Groups[1].Value, blackbox.Groups[1].Value);
    }
}
