namespace Warehouse.ApiGateway.RateLimiting;

/// <summary>Bound from <c>RateLimiting</c>: one limit per user for the platform as a whole, however many gateways run.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary>Sustained requests per second per user (per client address when anonymous).</summary>
    public int PermitsPerSecond { get; set; } = 50;

    /// <summary>Requests a user may send at once before the sustained rate applies.</summary>
    public int Burst { get; set; } = 100;

    /// <summary>
    /// Permits a gateway takes from a user's shared bucket per Redis call (at most <see cref="Burst"/>): the rest serve
    /// that user's next requests at this gateway without a round trip, for at most <see cref="HeldPermitLifetime"/>.
    /// 1 asks Redis on every request. Permits held by one gateway are not available to another, so the platform never
    /// admits more than the limit, and a user spreading requests over N gateways may be admitted up to
    /// N x (this - 1) fewer within a second.
    /// </summary>
    public int PermitsPerRedisCall { get; set; } = 10;

    /// <summary>How long permits taken ahead stay usable: unused ones lapse, as a bucket's tokens would be spent.</summary>
    public static readonly TimeSpan HeldPermitLifetime = TimeSpan.FromSeconds(1);
}
