namespace Warehouse.ImportService.Importing;

/// <summary>
/// This copy of the service, as the owner of the jobs it claims. Unique per process start (a restarted pod keeps its
/// host name but must not take over its former self's leases), and readable in the job table by an operator.
/// </summary>
public sealed class ImportCopy
{
    public string Id { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";
}
