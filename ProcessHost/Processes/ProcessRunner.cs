namespace Warehouse.ProcessHost.Processes;

/// <summary>Runs a short-lived command (initdb, dotnet build) to completion with its output in a log.</summary>
public static class ProcessRunner
{
    public static async Task<int> RunAsync(ProcessLaunch launch, ComponentLog log, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var process = ManagedProcess.Start(launch, log);
        try
        {
            return await process.Exited.WaitAsync(timeout, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            process.Kill();
            throw;
        }
    }
}
