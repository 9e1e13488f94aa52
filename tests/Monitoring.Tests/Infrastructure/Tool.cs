using System.Diagnostics;

namespace Monitoring.Tests.Infrastructure;

public sealed record ToolResult(string CommandLine, int ExitCode, string StdOut, string StdErr)
{
    public string Output => StdOut + StdErr;

    public override string ToString() => $"$ {CommandLine}\nexit code {ExitCode}\n{StdOut}{StdErr}";
}

/// <summary>Runs the installed command-line tools (promtool, amtool, ...) to completion.</summary>
public static class Tool
{
    /// <summary>Debian package that provides each binary, for a clear failure when one is missing.</summary>
    private static readonly Dictionary<string, string> Packages = new()
    {
        ["promtool"] = "prometheus",
        ["prometheus"] = "prometheus",
        ["amtool"] = "prometheus-alertmanager",
        ["prometheus-alertmanager"] = "prometheus-alertmanager",
        ["prometheus-blackbox-exporter"] = "prometheus-blackbox-exporter",
        ["python3"] = "python3",
        ["htpasswd"] = "apache2-utils",
        ["bash"] = "bash",
        ["curl"] = "curl",
        ["tar"] = "tar",
    };

    /// <summary>The full path of <paramref name="binary"/> on PATH; throws a clear message when it is missing.</summary>
    public static string Require(string binary)
    {
        if (Find(binary) is { } path)
        {
            return path;
        }

        var package = Packages.GetValueOrDefault(binary, "?");
        throw new InvalidOperationException(
            $"'{binary}' is not on PATH. Install the Debian package '{package}' (apt-get install -y {package}).");
    }

    /// <summary>The full path of <paramref name="binary"/> on PATH, or null.</summary>
    public static string? Find(string binary) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, binary))
            .FirstOrDefault(File.Exists);

    public static async Task<ToolResult> RunAsync(
        string binary,
        IEnumerable<string> args,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        string? stdin = null,
        TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(Require(binary))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoPaths.Root,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        var commandLine = binary + " " + string.Join(' ', psi.ArgumentList);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {commandLine}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{commandLine} did not finish in time.\n{await stdout}{await stderr}");
        }

        return new ToolResult(commandLine, process.ExitCode, await stdout, await stderr);
    }
}
