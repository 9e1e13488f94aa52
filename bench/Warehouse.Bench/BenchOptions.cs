namespace Warehouse.Bench;

public sealed record BenchOptions(
    string Which, int Rows, int Rate, int Seconds, int Rounds, bool Proxied, int Minutes, IReadOnlyList<int> Clients, IReadOnlyDictionary<string, string> ServiceEnvironment,
    int OpenEvery)
{
    /// <summary>"all" is every benchmark measured against an anchor; "idle" runs only when named.</summary>
    public bool Runs(string benchmark) => Which is "all" || Which == benchmark;

    public static BenchOptions Parse(string[] args)
    {
        var which = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
        string? Text(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int Value(string name, int fallback) =>
            Text(name) is { } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : fallback;

        return new BenchOptions(which, Value("--rows", 1_000_000), Value("--rate", 1000), Value("--seconds", 30), Value("--rounds", 3),
            args.Contains("--proxied"), Value("--minutes", 15),
            (Text("--clients") ?? "200,500,1000").Split(',').Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToList(), Settings(args),
            Value("--open-every", 20));
    }

    /// <summary>
    /// Every <c>--set NAME=VALUE</c>: added to every service's environment (an experiment's variable);
    /// <c>--set service:NAME=VALUE</c> to that service's only.
    /// </summary>
    private static Dictionary<string, string> Settings(string[] args)
    {
        var settings = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--set" && args[i + 1].Split('=', 2) is [var name, var value])
            {
                settings[name] = value;
            }
        }

        return settings;
    }
}
