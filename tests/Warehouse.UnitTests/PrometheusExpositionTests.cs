using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Warehouse.ServiceDefaults.Telemetry.Prometheus;
using Warehouse.Testing;

namespace Warehouse.UnitTests;

public sealed class PrometheusExpositionTests
{
    [Theory]
    [InlineData("http.server.request.duration", "s", false, false, "http_server_request_duration_seconds")]
    [InlineData("warehouse.scans", "{scan}", true, false, "warehouse_scans_total")]
    [InlineData("dotnet.gc.heap.total_allocated", "By", true, false, "dotnet_gc_heap_total_allocated_bytes_total")]
    [InlineData("queue.fill", "1", false, true, "queue_fill_ratio")]
    [InlineData("queue.fill", "1", true, false, "queue_fill_total")]
    [InlineData("throughput", "By/s", false, true, "throughput_bytes_per_second")]
    [InlineData("requests_total", "", true, false, "requests_total")]
    [InlineData("latency_seconds", "s", false, false, "latency_seconds")]
    [InlineData("weird-name..x", "ms", false, true, "weird_name_x_milliseconds")]
    public void Names_follow_the_OpenTelemetry_compatibility_spec(string name, string unit, bool counter, bool gauge, string expected) =>
        Assert.Equal(expected, PrometheusNaming.MetricName(name, unit, counter, gauge));

    [Theory]
    [InlineData("http.route", "http_route")]
    [InlineData("__secret", "_secret")]
    [InlineData("a-b/c", "a_b_c")]
    public void Label_names_are_sanitised(string key, string expected) => Assert.Equal(expected, PrometheusNaming.LabelName(key));

    [Fact]
    public async Task Counters_histograms_and_gauges_render_as_valid_text_with_escaped_labels_and_target_info()
    {
        using var meter = new Meter("Test.Exposition." + Guid.NewGuid().ToString("N"));
        var exporter = new PrometheusScrapeExporter();
        using var sdk = OpenTelemetrySdk.Create(otel => otel
            .ConfigureResource(r => r.AddService("unit", serviceInstanceId: "i-1"))
            .WithMetrics(m => m.AddMeter(meter.Name).AddReader(exporter.Reader)));
        var counter = meter.CreateCounter<long>("jobs", "{job}", "Jobs \\ done\nnow");
        var histogram = meter.CreateHistogram("wait", "s", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        var active = meter.CreateUpDownCounter<int>("active", "{connection}");
        counter.Add(2, new KeyValuePair<string, object?>("path", "a\"b\\c\nd"));
        histogram.Record(0.05);
        histogram.Record(0.5);
        histogram.Record(5);
        active.Add(3);
        active.Add(-1);

        var text = exporter.Scrape();

        Assert.Contains("# HELP jobs_total Jobs \\\\ done\\nnow\n# TYPE jobs_total counter\n", text);
        Assert.Contains("jobs_total{path=\"a\\\"b\\\\c\\nd\"} 2\n", text);
        Assert.Contains("# TYPE wait_seconds histogram\n", text);
        Assert.Contains("wait_seconds_bucket{le=\"0.1\"} 1\nwait_seconds_bucket{le=\"1\"} 2\nwait_seconds_bucket{le=\"+Inf\"} 3\n", text);
        Assert.Contains("wait_seconds_sum 5.55\nwait_seconds_count 3\n", text);
        Assert.Contains("# TYPE active gauge\nactive 2\n", text);
        Assert.Contains("target_info{", text);
        Assert.Contains("service_name=\"unit\"", text);
        var promtool = await Promtool.CheckMetricsAsync(text);
        Assert.True(promtool.ExitCode == 0, promtool.ToString());
    }
}
