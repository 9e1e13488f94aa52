namespace Warehouse.Bench;

public static class Percentiles
{
    public static double Of(IReadOnlyList<double> sortedValues, double percentile) =>
        sortedValues.Count == 0 ? double.NaN : sortedValues[Math.Min(sortedValues.Count - 1, (int)Math.Ceiling(percentile / 100 * sortedValues.Count) - 1)];

    /// <summary>The middle value (the mean of the two middle ones for an even count): for ratios across rounds.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static string Summary(List<double> milliseconds)
    {
        milliseconds.Sort();
        return $"p50 {Of(milliseconds, 50):F2} ms, p95 {Of(milliseconds, 95):F2} ms, p99 {Of(milliseconds, 99):F2} ms, max {milliseconds[^1]:F2} ms (n={milliseconds.Count})";
    }
}
