using Microsoft.AspNetCore.SignalR.Client;

namespace Warehouse.Client;

/// <summary>
/// Reconnects at once, then after 1 s, 2 s, ... up to <paramref name="maxDelay"/>, forever: a handheld that lost
/// Wi-Fi for a minute must come back by itself (the default policy gives up after four attempts).
/// </summary>
internal sealed class RetryForever(TimeSpan maxDelay) : IRetryPolicy
{
    public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
        TimeSpan.FromSeconds(Math.Min(retryContext.PreviousRetryCount, maxDelay.TotalSeconds));
}
