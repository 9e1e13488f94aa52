namespace Warehouse.Bench;

public sealed record BenchOptions(
    string Which, int Rows, int Rate, int Seconds, int Rounds, bool Proxied, int Minutes, IReadOnlyList<int> Clients, IReadOnlyDictionary<string, string> ServiceEnvironment,
    int OpenEvery, int Receivers, bool Smoke)
{
    /// <summary>
    /// <c>--smoke</c> (scripts/test.sh): every benchmark once at a tiny size, to show that it runs to the end with 0
    /// errors and prints its table; its numbers mean nothing.
    /// </summary>
    private static readonly TimeSpan SmokeTime = TimeSpan.FromSeconds(1);

    /// <summary>A benchmark's duration: <paramref name="full"/>, or one second in a smoke run.</summary>
    public TimeSpan Time(TimeSpan full) => Smoke ? SmokeTime : full;

    /// <summary>A benchmark's size: <paramref name="full"/>, or <paramref name="tiny"/> in a smoke run.</summary>
    public int Size(int full, int tiny) => Smoke ? tiny : full;

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

        var smoke = args.Contains("--smoke");
        return new BenchOptions(which, Value("--rows", smoke ? 1_000 : 1_000_000), Value("--rate", smoke ? 50 : 1000), Value("--seconds", smoke ? 1 : 30),
            Value("--rounds", smoke ? 1 : 3), args.Contains("--proxied"), Value("--minutes", 15),
            (Text("--clients") ?? (smoke ? "5" : "200,500,1000")).Split(',').Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            Settings(args), Value("--open-every", 20), Value("--receivers", 2), smoke);
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
