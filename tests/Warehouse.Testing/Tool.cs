using System.Diagnostics;

namespace Warehouse.Testing;

/// <summary>What a command-line tool printed and how it exited.</summary>
public sealed record ToolResult(string CommandLine, int ExitCode, string StdOut, string StdErr)
{
    public string Output => StdOut + StdErr;

    public override string ToString() => $"$ {CommandLine}\nexit code {ExitCode}\n{StdOut}{StdErr}";
}

/// <summary>Runs an installed command-line tool (promtool, amtool, redis-cli, bash, ...) to completion.</summary>
public static class Tool
{
    /// <summary>Debian packages of the tools the tests run beyond the platform's own binaries, for a clear failure when one is missing.</summary>
    private static readonly Dictionary<string, string> Packages = new()
    {
        ["promtool"] = "prometheus",
        ["amtool"] = "prometheus-alertmanager",
        ["redis-cli"] = "redis-tools",
        ["htpasswd"] = "apache2-utils",
        ["prometheus"] = "prometheus",
        ["prometheus-alertmanager"] = "prometheus-alertmanager",
        ["prometheus-blackbox-exporter"] = "prometheus-blackbox-exporter",
    };

    private static readonly string RepoRoot = Repository.Root;

    /// <summary>The full path of <paramref name="binary"/>, or null when it is not installed.</summary>
    public static string? Find(string binary) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/bin", "/usr/bin", "/usr/sbin", "/bin"])
            .Select(dir => Path.Combine(dir, binary))
            .FirstOrDefault(File.Exists);

    /// <summary>The full path of <paramref name="binary"/>; throws naming the Debian package when it is not installed.</summary>
    public static string Require(string binary)
    {
        if (Find(binary) is { } path)
        {
            return path;
        }

        var package = Packages.GetValueOrDefault(binary) ?? binary;
        throw new InvalidOperationException($"'{binary}' is not installed. Install the Debian package '{package}' (apt-get install -y {package}).");
    }

    /// <summary>Runs <paramref name="binary"/> (in the repository root unless told otherwise) and waits for it; kills it after <paramref name="timeout"/>.</summary>
    public static async Task<ToolResult> RunAsync(
        string binary,
        IEnumerable<string> args,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        string? stdin = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(Require(binary))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoRoot,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var commandLine = binary + " " + string.Join(' ', start.ArgumentList);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {commandLine}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{commandLine} did not finish in time.\n{await stdout}{await stderr}");
        }

        return new ToolResult(commandLine, process.ExitCode, await stdout, await stderr);
    }
}
