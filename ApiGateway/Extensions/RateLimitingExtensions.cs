using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Warehouse.Contracts.Security;

namespace Warehouse.ApiGateway.Extensions;

public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary>Sustained requests per second per user (per client address when anonymous).</summary>
    public int PermitsPerSecond { get; set; } = 50;

    /// <summary>Requests a user may send at once before the sustained rate applies.</summary>
    public int Burst { get; set; } = 100;
}

public static class RateLimitingExtensions
{
    public static IServiceCollection AddPerUserRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitOptions.SectionName).Get<RateLimitOptions>() ?? new RateLimitOptions();
        return services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (!context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments("/hubs"))
                {
                    return RateLimitPartition.GetNoLimiter("internal");
                }

                var key = context.User.FindFirst(ClaimNames.Subject)?.Value is { } user ? $"user:{user}" : $"ip:{context.Connection.RemoteIpAddress}";
                return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.Burst,
                    TokensPerPeriod = options.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
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
    }
}
