using System.Text.RegularExpressions;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// Extracts the metric names a PromQL expression selects. Not a parser: it strips what cannot be a metric
/// name (strings, label matchers, ranges, grouping label lists, Grafana variables, numbers, durations) and
/// keeps the identifiers that are not functions or keywords.
/// </summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset",
        "inf", "nan", "Inf", "NaN", "atan2",
    };

    public static IReadOnlySet<string> MetricNames(string expr)
    {
        var s = StringLiteral().Replace(expr, " ");
        s = GrafanaVariable().Replace(s, " ");
        s = LabelMatchers().Replace(s, " ");
        s = RangeOrSubquery().Replace(s, " ");
        s = GroupingList().Replace(s, " ");
        s = Offset().Replace(s, " ");
        s = Number().Replace(s, " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in Identifier().Matches(s))
        {
            var rest = s[(m.Index + m.Length)..].TrimStart();
            if (rest.StartsWith('(') || Keywords.Contains(m.Value))
            {
                continue;
            }

            names.Add(m.Value);
        }

        return names;
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\$\{[^}]*\}|\$\w+")]
    private static partial Regex GrafanaVariable();

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex RangeOrSubquery();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex GroupingList();

    [GeneratedRegex(@"\boffset\s+-?[0-9a-z]+")]
    private static partial Regex Offset();

    [GeneratedRegex(@"(?<![\w:.])\d+(\.\d+)?([eE][+-]?\d+)?(?![\w:.])")]
    private static partial Regex Number();

    [GeneratedRegex(@"[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();
}
