using System.Text;

namespace Warehouse.ServiceDefaults.Telemetry.Prometheus;

/// <summary>
/// Metric and label name translation from the OpenTelemetry "Prometheus and OpenMetrics compatibility" spec:
/// invalid characters become '_', the unit becomes a suffix, monotonic sums end in '_total'.
/// </summary>
public static class PrometheusNaming
{
    private static readonly Dictionary<string, string> UnitWords = new(StringComparer.Ordinal)
    {
        ["d"] = "days", ["h"] = "hours", ["min"] = "minutes", ["s"] = "seconds", ["ms"] = "milliseconds",
        ["us"] = "microseconds", ["ns"] = "nanoseconds", ["By"] = "bytes", ["KiBy"] = "kibibytes",
        ["MiBy"] = "mebibytes", ["GiBy"] = "gibibytes", ["KBy"] = "kilobytes", ["MBy"] = "megabytes",
        ["GBy"] = "gigabytes", ["m"] = "meters", ["V"] = "volts", ["A"] = "amperes", ["J"] = "joules",
        ["W"] = "watts", ["g"] = "grams", ["Cel"] = "celsius", ["Hz"] = "hertz", ["%"] = "percent",
    };

    private static readonly Dictionary<string, string> PerUnitWords = new(StringComparer.Ordinal)
    {
        ["s"] = "second", ["m"] = "minute", ["h"] = "hour", ["d"] = "day", ["w"] = "week", ["mo"] = "month", ["y"] = "year",
    };

    public static string MetricName(string otelName, string? unit, bool isCounter, bool isGauge)
    {
        var name = Sanitize(otelName, allowColon: true);
        var unitSuffix = UnitSuffix(unit, isGauge);
        if (unitSuffix.Length > 0 && !name.EndsWith("_" + unitSuffix, StringComparison.Ordinal))
        {
            name = $"{name}_{unitSuffix}";
        }

        if (isCounter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        return name;
    }

    public static string LabelName(string key)
    {
        var name = Sanitize(key, allowColon: false);
        return name.StartsWith("__", StringComparison.Ordinal) ? name[1..] : name;
    }

    public static string UnitSuffix(string? unit, bool isGauge)
    {
        if (string.IsNullOrEmpty(unit))
        {
            return string.Empty;
        }

        // Annotations in curly braces ("{request}") carry no unit and are dropped.
        var withoutAnnotations = RemoveAnnotations(unit);
        if (withoutAnnotations.Length == 0)
        {
            return string.Empty;
        }

        if (withoutAnnotations == "1")
        {
            return isGauge ? "ratio" : string.Empty;
        }

        var slash = withoutAnnotations.IndexOf('/');
        if (slash < 0)
        {
            return Sanitize(Word(withoutAnnotations, UnitWords), allowColon: false).Trim('_');
        }

        var numerator = Word(withoutAnnotations[..slash], UnitWords);
        var denominator = Word(withoutAnnotations[(slash + 1)..], PerUnitWords);
        var suffix = numerator.Length == 0 ? $"per_{denominator}" : $"{numerator}_per_{denominator}";
        return Sanitize(suffix, allowColon: false).Trim('_');
    }

    private static string Word(string unit, Dictionary<string, string> words) =>
        words.TryGetValue(unit, out var word) ? word : unit;

    private static string RemoveAnnotations(string unit)
    {
        var builder = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{') depth++;
            else if (c == '}') depth = Math.Max(0, depth - 1);
            else if (depth == 0) builder.Append(c);
        }

        return builder.ToString().Trim();
    }

    private static string Sanitize(string value, bool allowColon)
    {
        var builder = new StringBuilder(value.Length);
        var previousUnderscore = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var valid = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (allowColon && c == ':') || (i > 0 && c is >= '0' and <= '9');
            var output = valid ? c : '_';
            if (output == '_' && previousUnderscore)
            {
                continue;
            }

            builder.Append(output);
            previousUnderscore = output == '_';
        }

        if (builder.Length > 0 && value[0] is >= '0' and <= '9')
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }
}
