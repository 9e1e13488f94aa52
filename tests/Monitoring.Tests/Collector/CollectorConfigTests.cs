using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Collector;

/// <summary>The OpenTelemetry Collector config cannot run here: its pipelines are checked by parsing it.</summary>
public class CollectorConfigTests
{
    private static readonly Dictionary<object, object> Config =
        Yaml.LoadMap(Path.Combine(RepoPaths.Monitoring, "otel-collector", "config.yaml"));

    private static Dictionary<object, object> Pipelines => Config.Map("service").Map("pipelines");

    [Fact]
    public void Every_pipeline_references_defined_receivers_processors_and_exporters()
    {
        Assert.Equal(["logs", "metrics", "traces"], Pipelines.Keys.Select(k => k.ToString()!).Order());
        foreach (var (name, pipeline) in Pipelines)
        {
            foreach (var kind in new[] { "receivers", "processors", "exporters" })
            {
                var used = pipeline.Strings(kind);
                Assert.True(used.Count > 0, $"pipeline {name} has no {kind}");
                var defined = Config.Map(kind).Keys.Select(k => k.ToString()!).ToHashSet();
                Assert.Empty(used.Except(defined));
            }
        }

        var extensions = Config.Map("extensions").Keys.Select(k => k.ToString()!);
        Assert.Empty(Config.Map("service").Strings("extensions").Except(extensions));
    }

    [Fact]
    public void Otlp_receiver_listens_on_grpc_and_http()
    {
        var protocols = Config.Map("receivers").Map("otlp").Map("protocols");
        Assert.Equal("0.0.0.0:4317", protocols.Map("grpc").Str("endpoint"));
        Assert.Equal("0.0.0.0:4318", protocols.Map("http").Str("endpoint"));
    }

    [Fact]
    public void Every_pipeline_limits_memory_first_and_batches()
    {
        foreach (var (name, pipeline) in Pipelines)
        {
            var processors = pipeline.Strings("processors");
            Assert.True(processors[0] == "memory_limiter", $"pipeline {name} must start with memory_limiter");
            Assert.Contains("batch", processors);
        }
    }

    [Fact]
    public void Metrics_go_to_Prometheus_and_everything_goes_to_the_Aspire_dashboard()
    {
        var exporters = Config.Map("exporters");
        var prometheus = exporters.Keys.Select(k => k.ToString()!).Single(k => k.EndsWith("/prometheus", StringComparison.Ordinal));
        var aspire = exporters.Keys.Select(k => k.ToString()!).Single(k => k.EndsWith("/aspire", StringComparison.Ordinal));
        Assert.Contains(prometheus, Pipelines["metrics"].Strings("exporters"));
        Assert.All(Pipelines.Values, p => Assert.Contains(aspire, p.Strings("exporters")));
        Assert.DoesNotContain(prometheus, Pipelines["traces"].Strings("exporters"));
    }

    [Fact]
    public void Endpoints_and_keys_come_from_environment_variables()
    {
        foreach (var (name, exporter) in Config.Map("exporters"))
        {
            Assert.Matches(@"^\$\{env:[A-Z_]+\}$", exporter.Str("endpoint"));
            foreach (var (header, value) in exporter.Map("headers"))
            {
                Assert.True(value.ToString()!.StartsWith("${env:", StringComparison.Ordinal), $"{name} header {header} is not from the environment");
            }
        }
    }
}
