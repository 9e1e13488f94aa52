using System.Runtime.InteropServices;
using Warehouse.ProcessHost.Hosting;

namespace Warehouse.ProcessHost.Cli;

/// <summary>Default command: start everything, print the URLs, stream logs, stop in reverse order on Ctrl+C/SIGTERM.</summary>
public static class RunCommand
{
    public static async Task<int> RunAsync(CliArgs args)
    {
        var console = new ConsoleLog(args.Quiet);
        var ports = PlatformPorts.Defaults();
        foreach (var (name, port) in args.Ports)
        {
            ports[name] = port;
        }

        var options = new PlatformOptions
        {
            RepoRoot = args.Repo ?? PlatformOptions.FindRepoRoot(),
            DataDir = args.DataDir,
            MonitoringDir = args.MonitoringDir,
            Ports = ports,
            UseFreePorts = args.FreePorts,
            Configuration = args.Configuration,
            BuildServices = !args.NoBuild,
            IncludeServices = !args.InfraOnly,
            Reset = args.Reset,
            FastPostgres = args.FastPostgres,
            AlertResendDelay = args.AlertResendDelaySeconds is { } resend ? TimeSpan.FromSeconds(resend) : null,
            Log = console.Write,
        };

        using var stopping = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true; // we stop the children ourselves, in order
            if (!stopping.IsCancellationRequested)
            {
                console.Write(Platform.HostLog, $"{context.Signal}: stopping (reverse order) ...");
                stopping.Cancel();
            }
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);

        await using var platform = new Platform(options);
        try
        {
            await platform.StartAsync(stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return 130;
        }
        catch (PlatformException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 1;
        }

        Console.Write(EndpointTable.Render(platform));
        try
        {
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await platform.StopAsync();
        console.Write(Platform.HostLog, "all components stopped");
        return 0;
    }
}
