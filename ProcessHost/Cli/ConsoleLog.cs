namespace Warehouse.ProcessHost.Cli;

/// <summary>Streams component log lines to the console as <c>name | line</c>, one color per component.</summary>
public sealed class ConsoleLog(bool quiet)
{
    private static readonly ConsoleColor[] Palette =
    [
        ConsoleColor.Cyan, ConsoleColor.Green, ConsoleColor.Yellow, ConsoleColor.Magenta, ConsoleColor.Blue,
        ConsoleColor.DarkCyan, ConsoleColor.DarkGreen, ConsoleColor.DarkYellow, ConsoleColor.DarkMagenta, ConsoleColor.Red,
    ];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, ConsoleColor> _colors = [];
    private readonly bool _color = !Console.IsOutputRedirected;

    public void Write(string component, string line)
    {
        if (quiet && component != Hosting.Platform.HostLog)
        {
            return;
        }

        lock (_gate)
        {
            if (!_colors.TryGetValue(component, out var color))
            {
                color = Palette[_colors.Count % Palette.Length];
                _colors[component] = color;
            }

            if (_color)
            {
                Console.ForegroundColor = color;
            }

            Console.Write($"{component,-17}| ");
            if (_color)
            {
                Console.ResetColor();
            }

            Console.WriteLine(line);
        }
    }
}
