namespace Warehouse.ApiGateway.RateLimiting;

/// <summary>Bound from <c>RateLimiting</c>: one limit per user for the platform as a whole, however many gateways run.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary>Sustained requests per second per user (per client address when anonymous).</summary>
    public int PermitsPerSecond { get; set; } = 50;

    /// <summary>Requests a user may send at once before the sustained rate applies.</summary>
    public int Burst { get; set; } = 100;
}
