namespace Warehouse.ImportService.Importing;

public sealed class ImportOptions
{
    public const string SectionName = "Imports";

    /// <summary>Largest accepted upload; a larger one gets 413 and leaves nothing behind.</summary>
    public long MaxFileBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>
    /// How long a claim on a running job holds without renewal. Its owner renews it every third of this, so a copy
    /// that stops (killed, hung, cut off from the database) loses its job within one lease, and two missed renewals
    /// (a database hiccup, a long GC pause) do not cost a live copy its job.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often an idle copy looks for a job queued by another copy (a copy queuing a job wakes its own worker at
    /// once), and every copy for expired leases.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many copies may claim a job before it is failed: a job whose copy stopped is run again, but a file that
    /// kills every copy that runs it (out of memory, say) must not take the service down in a loop.
    /// </summary>
    public int MaxAttempts { get; set; } = 2;

    public TimeSpan RenewInterval => LeaseDuration / 3;
}
