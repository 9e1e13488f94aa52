namespace Warehouse.RealtimeWorker.Memory;

/// <summary>Hub connections open now, and the most that were open at once since the peak was last reset.</summary>
public sealed class ConnectionGauge
{
    private int _open;
    private int _peak;

    public int Open => Volatile.Read(ref _open);

    public int Peak => Volatile.Read(ref _peak);

    public void Connected()
    {
        var open = Interlocked.Increment(ref _open);
        for (var peak = Peak; open > peak; peak = Peak)
        {
            if (Interlocked.CompareExchange(ref _peak, open, peak) == peak)
            {
                return;
            }
        }
    }

    public void Disconnected() => Interlocked.Decrement(ref _open);

    /// <summary>Starts a new peak from the connections open now.</summary>
    public void ResetPeak() => Interlocked.Exchange(ref _peak, Open);
}
