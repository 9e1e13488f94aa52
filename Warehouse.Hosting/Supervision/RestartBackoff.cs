namespace Warehouse.Hosting.Supervision;

/// <summary>
/// How long to wait before starting a crashed resource again: doubling from <see cref="First"/> to <see cref="Max"/>
/// (Kubernetes' CrashLoopBackOff, shorter: these are processes on one machine, not pods pulled onto a node), and back
/// to <see cref="First"/> once the resource has run for <see cref="ResetAfter"/> since its last start.
/// </summary>
public sealed record RestartBackoff
{
    public TimeSpan First { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan Max { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ResetAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The delay before the next start, given the delay before the previous one (null: none yet) and how long it ran.</summary>
    public TimeSpan Next(TimeSpan? previous, TimeSpan ran) =>
        previous is not { } last || ran >= ResetAfter ? First : TimeSpan.FromTicks(Math.Min(last.Ticks * 2, Max.Ticks));
}
