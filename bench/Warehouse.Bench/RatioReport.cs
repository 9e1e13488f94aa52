namespace Warehouse.Bench;

/// <summary>One ratio to its anchor, one value per round (A and B measured side by side in that round).</summary>
public sealed record Ratio(string What, string Anchor, IReadOnlyList<double> PerRound, string Format, string Target)
{
    public string Values => PerRound.Count == 0 ? "—"
        : $"{PerRound.Min().ToString(Format)} / {Percentiles.Median(PerRound).ToString(Format)} / {PerRound.Max().ToString(Format)}";
}

/// <summary>
/// Every ratio a run measured, printed as it is measured and again together at the end, and every error a run met
/// (a failed request, a missed delivery, a failed import): a run with errors fails, as its numbers do not hold.
/// </summary>
public sealed class RatioReport
{
    private readonly List<Ratio> _ratios = [];
    private readonly List<string> _errors = [];

    public bool HasErrors => _errors.Count > 0;

    /// <summary>Records <paramref name="count"/> errors of <paramref name="run"/> (none is fine), printed at the end.</summary>
    public void AddErrors(string run, long count, string detail = "")
    {
        if (count > 0)
        {
            _errors.Add($"{run}: {count} errors{(detail.Length > 0 ? $" ({detail})" : "")}");
        }
    }

    /// <summary>The failures of a load run, by kind, as <see cref="AddErrors"/>.</summary>
    public void AddFailures(string run, IReadOnlyDictionary<string, int> failures) =>
        AddErrors(run, failures.Values.Sum(), string.Join(", ", failures.Select(f => $"{f.Key}: {f.Value}")));

    public void Add(string what, string anchor, IEnumerable<double> perRound, string format, string target)
    {
        var ratio = new Ratio(what, anchor, perRound.ToList(), format, target);
        _ratios.Add(ratio);
        Console.WriteLine($"{what} (against {anchor}): min / median / max {ratio.Values} (target {target})");
    }

    public void Print()
    {
        if (_ratios.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("| measured | anchor (same run) | min / median / max | target |");
            Console.WriteLine("|---|---|---|---|");
            foreach (var ratio in _ratios)
            {
                Console.WriteLine($"| {ratio.What} | {ratio.Anchor} | {ratio.Values} | {ratio.Target} |");
            }
        }

        Console.WriteLine();
        Console.WriteLine(HasErrors ? $"errors: {_errors.Count} runs had errors; the figures above do not hold:" : "errors: 0");
        foreach (var error in _errors)
        {
            Console.WriteLine($"  {error}");
        }
    }
}
