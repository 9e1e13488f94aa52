using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using RedisRateLimiting;
using StackExchange.Redis;
using Warehouse.Contracts.Security;
using Warehouse.Messaging;

namespace Warehouse.ApiGateway.RateLimiting;

public static class RateLimitingExtensions
{
    /// <summary>
    /// A token bucket per user (per client address when anonymous) on <c>/api</c> and <c>/hubs</c>. With a Redis
    /// connection string (<paramref name="redisConnectionName"/>) the bucket is shared by every gateway copy; without
    /// one (a single gateway, the gateway's own tests) it is this process's.
    /// </summary>
    public static IHostApplicationBuilder AddPerUserRateLimiting(this IHostApplicationBuilder builder, string redisConnectionName)
    {
        var options = builder.Configuration.GetSection(RateLimitOptions.SectionName).Get<RateLimitOptions>() ?? new RateLimitOptions();
        var shared = builder.Configuration.GetConnectionString(redisConnectionName) is not null;
        if (shared)
        {
            builder.AddFailFastRedisClient(redisConnectionName);
            builder.Services.AddInstruments<RateLimitFallbacks>();
        }

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await Results.Problem(
                    title: "Too many requests",
                    detail: $"Slow down: at most {options.PermitsPerSecond} requests per second (bursts of {options.Burst}).",
                    statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context.HttpContext);
            };
        });

        builder.Services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>().Configure<IServiceProvider>((limiter, services) =>
        {
            var redis = shared ? services.GetRequiredService<IConnectionMultiplexer>() : null;
            var fallbacks = shared ? services.GetRequiredService<RateLimitFallbacks>() : null;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (!context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments("/hubs"))
                {
                    return RateLimitPartition.GetNoLimiter("internal");
                }

                var key = context.User.FindFirst(ClaimNames.Subject)?.Value is { } user ? $"user:{user}" : $"ip:{context.Connection.RemoteIpAddress}";
                return redis is null
                    ? RateLimitPartition.GetTokenBucketLimiter(key, _ => LocalBucket(options))
                    : RateLimitPartition.Get(key, partition => new SharedTokenBucket(
                        new RedisTokenBucketRateLimiter<string>(partition, new RedisTokenBucketRateLimiterOptions
                        {
                            ConnectionMultiplexerFactory = () => redis,
                            TokenLimit = options.Burst,
                            TokensPerPeriod = options.PermitsPerSecond,
                            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        }),
                        new TokenBucketRateLimiter(LocalBucket(options)),
                        redis,
                        fallbacks!,
                        Math.Clamp(options.PermitsPerRedisCall, 1, options.Burst)));
            });
        });
        return builder;
    }

    private static TokenBucketRateLimiterOptions LocalBucket(RateLimitOptions options) => new()
    {
        TokenLimit = options.Burst,
        TokensPerPeriod = options.PermitsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
