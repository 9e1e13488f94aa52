namespace Warehouse.Bench;

public sealed record BenchOptions(string Which, int Rows, int Rate, int Seconds)
{
    public bool Runs(string benchmark) => Which is "all" || Which == benchmark;

    public static BenchOptions Parse(string[] args)
    {
        var which = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
        int Value(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
        }

        return new BenchOptions(which, Value("--rows", 1_000_000), Value("--rate", 1000), Value("--seconds", 30));
    }
}
