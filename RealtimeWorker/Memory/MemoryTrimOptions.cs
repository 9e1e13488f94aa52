namespace Warehouse.RealtimeWorker.Memory;

/// <summary>When <see cref="MemoryTrimmer"/> gives memory back (configuration section <c>MemoryTrim</c>).</summary>
public sealed class MemoryTrimOptions
{
    public const string SectionName = "MemoryTrim";

    /// <summary>A crowd smaller than this leaves too little behind to be worth a full collection.</summary>
    public int MinimumCrowd { get; set; } = 200;

    /// <summary>How long the connections must have stayed at half their peak or less before the trim.</summary>
    public TimeSpan Settle { get; set; } = TimeSpan.FromSeconds(20);

    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromSeconds(5);
}
