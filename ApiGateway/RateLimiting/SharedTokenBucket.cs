using System.Diagnostics;
using System.Threading.RateLimiting;
using RedisRateLimiting;
using StackExchange.Redis;

namespace Warehouse.ApiGateway.RateLimiting;

/// <summary>
/// One caller's token bucket, kept in Redis so that every gateway copy draws from the same bucket
/// (RedisRateLimiting's Lua token bucket). While Redis cannot answer, the caller gets this gateway's own bucket of the
/// same size instead: the limit still holds per gateway (N copies allow up to N times it for the outage), no request
/// fails because the limiter's store is down, and each fallback is counted and logged once per burst.
/// A Redis call takes up to <paramref name="permitsPerCall"/> permits and this gateway keeps the spare ones for the
/// caller's next requests (<see cref="RateLimitOptions.PermitsPerRedisCall"/>): the profile of a loaded gateway put a
/// sixth of its CPU in the per-request Lua call.
/// </summary>
internal sealed class SharedTokenBucket(
    RateLimiter shared, RateLimiter local, IConnectionMultiplexer redis, RateLimitFallbacks fallbacks, int permitsPerCall) : RateLimiter
{
    // The Redis limiter's synchronous attempt is a blocking round trip on the request's thread (and the gateway runs
    // socket completions inline): answer "not now" so the rate-limiting middleware takes the asynchronous path.
    private static readonly RateLimitLease Deferred = new HeldLease(acquired: false);
    private static readonly RateLimitLease Granted = new HeldLease(acquired: true);

    // One reason for every request that finds the connection down: nothing per request while Redis is away.
    private static readonly InvalidOperationException NotConnected = new("the gateway has no connection to Redis");

    private readonly Lock _gate = new();
    private int _held;
    private long _heldUntil;
    private Task? _fetch;

    public override TimeSpan? IdleDuration => local.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => local.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => TryTakeHeld(permitCount) ? Granted : Deferred;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (TryTakeHeld(permitCount))
        {
            return Granted;
        }

        if (!redis.IsConnected)
        {
            fallbacks.Record(NotConnected);
            return await local.AcquireAsync(permitCount, cancellationToken);
        }

        try
        {
            return await AcquireSharedAsync(permitCount, cancellationToken);
        }
        catch (Exception exception) when (exception is RedisException or RedisTimeoutException)
        {
            fallbacks.Record(exception);
            return await local.AcquireAsync(permitCount, cancellationToken);
        }
    }

    /// <summary>
    /// One of the caller's requests at a time fetches a batch; requests arriving meanwhile wait for it and take from
    /// it, so that concurrent requests neither take a batch each nor find the bucket emptied by the batch they could
    /// have shared. A batch the bucket cannot fill falls back to the request's own permits: near the limit the caller
    /// gets every permit left.
    /// </summary>
    private async ValueTask<RateLimitLease> AcquireSharedAsync(int permitCount, CancellationToken cancellationToken)
    {
        Task? inFlight;
        TaskCompletionSource? fetch = null;
        lock (_gate)
        {
            inFlight = _fetch;
            if (inFlight is null && permitsPerCall > permitCount)
            {
                fetch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _fetch = fetch.Task;
            }
        }

        if (inFlight is not null)
        {
            await inFlight.WaitAsync(cancellationToken);
            return TryTakeHeld(permitCount) ? Granted : await shared.AcquireAsync(permitCount, cancellationToken);
        }

        if (fetch is null)
        {
            return await shared.AcquireAsync(permitCount, cancellationToken);
        }

        try
        {
            using var batch = await shared.AcquireAsync(permitsPerCall, cancellationToken);
            if (!batch.IsAcquired)
            {
                return await shared.AcquireAsync(permitCount, cancellationToken);
            }

            lock (_gate)
            {
                _held = permitsPerCall - permitCount;
                _heldUntil = Stopwatch.GetTimestamp() + (long)(RateLimitOptions.HeldPermitLifetime.TotalSeconds * Stopwatch.Frequency);
            }

            return Granted;
        }
        finally
        {
            lock (_gate)
            {
                _fetch = null;
            }

            fetch.SetResult();
        }
    }

    private bool TryTakeHeld(int permitCount)
    {
        lock (_gate)
        {
            if (_held < permitCount || Stopwatch.GetTimestamp() > _heldUntil)
            {
                return false;
            }

            _held -= permitCount;
            return true;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            shared.Dispose();
            local.Dispose();
        }
    }

    private sealed class HeldLease(bool acquired) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
