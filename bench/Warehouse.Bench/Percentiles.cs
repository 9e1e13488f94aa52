namespace Warehouse.Bench;

public static class Percentiles
{
    public static double Of(IReadOnlyList<double> sortedValues, double percentile) =>
        sortedValues.Count == 0 ? double.NaN : sortedValues[Math.Min(sortedValues.Count - 1, (int)Math.Ceiling(percentile / 100 * sortedValues.Count) - 1)];

    public static string Summary(List<double> milliseconds)
    {
        milliseconds.Sort();
        return $"p50 {Of(milliseconds, 50):F2} ms, p95 {Of(milliseconds, 95):F2} ms, p99 {Of(milliseconds, 99):F2} ms, max {milliseconds[^1]:F2} ms (n={milliseconds.Count})";
    }
}
