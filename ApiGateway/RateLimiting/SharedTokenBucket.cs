using System.Threading.RateLimiting;
using RedisRateLimiting;
using StackExchange.Redis;

namespace Warehouse.ApiGateway.RateLimiting;

/// <summary>
/// One caller's token bucket, kept in Redis so that every gateway copy draws from the same bucket
/// (RedisRateLimiting's Lua token bucket). While Redis cannot answer, the caller gets this gateway's own bucket of the
/// same size instead: the limit still holds per gateway (N copies allow up to N times it for the outage), no request
/// fails because the limiter's store is down, and each fallback is counted and logged once per burst.
/// </summary>
internal sealed class SharedTokenBucket(
    RateLimiter shared, RateLimiter local, IConnectionMultiplexer redis, RateLimitFallbacks fallbacks) : RateLimiter
{
    // The Redis limiter's synchronous attempt is a blocking round trip on the request's thread (and the gateway runs
    // socket completions inline): answer "not now" so the rate-limiting middleware takes the asynchronous path.
    private static readonly RateLimitLease Deferred = new DeferredLease();

    // One reason for every request that finds the connection down: nothing per request while Redis is away.
    private static readonly InvalidOperationException NotConnected = new("the gateway has no connection to Redis");

    public override TimeSpan? IdleDuration => local.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => local.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Deferred;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (redis.IsConnected)
        {
            try
            {
                return await shared.AcquireAsync(permitCount, cancellationToken);
            }
            catch (Exception exception) when (exception is RedisException or RedisTimeoutException)
            {
                fallbacks.Record(exception);
            }
        }
        else
        {
            fallbacks.Record(NotConnected);
        }

        return await local.AcquireAsync(permitCount, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            shared.Dispose();
            local.Dispose();
        }
    }

    private sealed class DeferredLease : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
