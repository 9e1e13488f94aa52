namespace Warehouse.Bench;

/// <summary>One ratio to its anchor, one value per round (A and B measured side by side in that round).</summary>
public sealed record Ratio(string What, string Anchor, IReadOnlyList<double> PerRound, string Format, string Target)
{
    public string Values => PerRound.Count == 0 ? "—"
        : $"{PerRound.Min().ToString(Format)} / {Percentiles.Median(PerRound).ToString(Format)} / {PerRound.Max().ToString(Format)}";
}

/// <summary>Every ratio a run measured, printed as it is measured and again together at the end.</summary>
public sealed class RatioReport
{
    private readonly List<Ratio> _ratios = [];

    public void Add(string what, string anchor, IEnumerable<double> perRound, string format, string target)
    {
        var ratio = new Ratio(what, anchor, perRound.ToList(), format, target);
        _ratios.Add(ratio);
        Console.WriteLine($"{what} (against {anchor}): min / median / max {ratio.Values} (target {target})");
    }

    public void Print()
    {
        if (_ratios.Count == 0)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine("| measured | anchor (same run) | min / median / max | target |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var ratio in _ratios)
        {
            Console.WriteLine($"| {ratio.What} | {ratio.Anchor} | {ratio.Values} | {ratio.Target} |");
        }
    }
}
