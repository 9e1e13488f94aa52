using System.Globalization;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Warehouse.ServiceDefaults.Telemetry.Prometheus;

/// <summary>
/// Renders a batch of OpenTelemetry metrics in the Prometheus text exposition format (version 0.0.4),
/// translated per the OpenTelemetry "Prometheus and OpenMetrics compatibility" spec.
/// </summary>
public static class PrometheusTextSerializer
{
    public static string Serialize(in Batch<Metric> batch, Resource? resource)
    {
        var families = new Dictionary<string, (Metric First, List<Metric> Streams)>(StringComparer.Ordinal);
        foreach (var metric in batch)
        {
            if (metric.MetricType == MetricType.ExponentialHistogram)
            {
                // Not configured anywhere in the platform; classic Prometheus text has no representation for it.
                continue;
            }

            var name = FamilyName(metric);
            if (families.TryGetValue(name, out var family))
            {
                family.Streams.Add(metric);
            }
            else
            {
                families[name] = (metric, [metric]);
            }
        }

        var output = new StringBuilder(16 * 1024);
        foreach (var (name, (first, streams)) in families)
        {
            // promtool rejects a family without HELP; the instrument's own name is the next best description.
            WriteHeader(output, name, string.IsNullOrEmpty(first.Description) ? first.Name : first.Description, TypeOf(first.MetricType));
            foreach (var metric in streams)
            {
                WritePoints(output, name, metric);
            }
        }

        WriteTargetInfo(output, resource);
        return output.ToString();
    }

    private static string FamilyName(Metric metric) => PrometheusNaming.MetricName(
        metric.Name,
        metric.Unit,
        isCounter: metric.MetricType is MetricType.LongSum or MetricType.DoubleSum,
        isGauge: metric.MetricType is MetricType.LongGauge or MetricType.DoubleGauge);

    private static string TypeOf(MetricType type) => type switch
    {
        MetricType.LongSum or MetricType.DoubleSum => "counter",
        MetricType.Histogram => "histogram",
        _ => "gauge",
    };

    private static void WriteHeader(StringBuilder output, string name, string description, string type)
    {
        output.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(description)).Append('\n');
        output.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    private static void WritePoints(StringBuilder output, string name, Metric metric)
    {
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var labels = Labels(point.Tags);
            switch (metric.MetricType)
            {
                case MetricType.Histogram:
                    WriteHistogram(output, name, labels, point);
                    break;
                case MetricType.LongSum or MetricType.LongSumNonMonotonic:
                    WriteSample(output, name, labels, Format(point.GetSumLong()));
                    break;
                case MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic:
                    WriteSample(output, name, labels, Format(point.GetSumDouble()));
                    break;
                case MetricType.LongGauge:
                    WriteSample(output, name, labels, Format(point.GetGaugeLastValueLong()));
                    break;
                case MetricType.DoubleGauge:
                    WriteSample(output, name, labels, Format(point.GetGaugeLastValueDouble()));
                    break;
            }
        }
    }

    private static void WriteHistogram(StringBuilder output, string name, List<KeyValuePair<string, string>> labels, in MetricPoint point)
    {
        long cumulative = 0;
        foreach (var bucket in point.GetHistogramBuckets())
        {
            cumulative += bucket.BucketCount;
            var bound = double.IsPositiveInfinity(bucket.ExplicitBound) ? "+Inf" : Format(bucket.ExplicitBound);
            WriteSample(output, name + "_bucket", [.. labels, new("le", bound)], Format(cumulative));
        }

        WriteSample(output, name + "_sum", labels, Format(point.GetHistogramSum()));
        WriteSample(output, name + "_count", labels, Format(point.GetHistogramCount()));
    }

    private static void WriteTargetInfo(StringBuilder output, Resource? resource)
    {
        if (resource is null)
        {
            return;
        }

        var labels = resource.Attributes.Select(a => KeyValuePair.Create(PrometheusNaming.LabelName(a.Key), LabelValue(a.Value))).ToList();
        WriteHeader(output, "target_info", "Target metadata", "gauge");
        WriteSample(output, "target_info", labels, "1");
    }

    private static List<KeyValuePair<string, string>> Labels(ReadOnlyTagCollection tags)
    {
        var labels = new List<KeyValuePair<string, string>>(tags.Count);
        foreach (var tag in tags)
        {
            labels.Add(KeyValuePair.Create(PrometheusNaming.LabelName(tag.Key), LabelValue(tag.Value)));
        }

        return labels;
    }

    private static void WriteSample(StringBuilder output, string name, List<KeyValuePair<string, string>> labels, string value)
    {
        output.Append(name);
        if (labels.Count > 0)
        {
            output.Append('{');
            for (var i = 0; i < labels.Count; i++)
            {
                if (i > 0) output.Append(',');
                output.Append(labels[i].Key).Append("=\"");
                AppendEscapedLabelValue(output, labels[i].Value);
                output.Append('"');
            }

            output.Append('}');
        }

        output.Append(' ').Append(value).Append('\n');
    }

    private static string LabelValue(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static void AppendEscapedLabelValue(StringBuilder output, string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => output.Append(@"\\"),
                '"' => output.Append("\\\""),
                '\n' => output.Append(@"\n"),
                _ => output.Append(c),
            };
        }
    }

    private static string EscapeHelp(string help) => help.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
