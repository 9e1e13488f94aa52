using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using StackExchange.Redis;
using Warehouse.Contracts.Security;
using Warehouse.Security;
using Warehouse.Testing;

namespace Warehouse.ApiGateway.Tests;

/// <summary>
/// Two gateway copies on one real Redis draw from one bucket per user; with Redis down each falls back to its own
/// bucket, counts it, and no request fails for it. The limit here: bursts of 10, then 1 per second (the Lua bucket
/// refills on whole seconds, so a run of t seconds may see ceil(t) + 1 refills).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class SharedRateLimitTests(GatewayFixture fixture, DataInfrastructure data) : IClassFixture<DataInfrastructure>, IDisposable
{
    private const int Burst = 10;
    private const string Fallbacks = "warehouse_gateway_rate_limit_fallbacks_total{}";

    private readonly List<WebApplicationFactory<Program>> _gateways = [];

    [Fact]
    public async Task A_user_over_the_limit_through_two_gateways_gets_the_documented_total_not_twice_it()
    {
        var (a, b) = (await WarmGatewayAsync(), await WarmGatewayAsync());
        var token = TokenIssuer.Create(fixture.Jwt, Guid.NewGuid().ToString("N"), Roles.Operator);

        var (admitted, seconds) = await SendAsync(token, [a, b], requestsEach: Burst);

        // Each gateway alone would admit all 2 x 10; together they admit one burst and the refills.
        Assert.InRange(admitted, Burst, Burst + Math.Ceiling(seconds) + 1);
        Assert.Equal(0, Exposition.Value(await MetricsAsync(a), Fallbacks));
    }

    [Fact]
    public async Task A_users_requests_at_one_gateway_take_their_permits_from_Redis_a_batch_at_a_time()
    {
        var gateway = await WarmGatewayAsync();
        using var client = gateway.CreateClient().WithToken(TokenIssuer.Create(fixture.Jwt, Guid.NewGuid().ToString("N"), Roles.Operator));
        await using var redis = await ConnectionMultiplexer.ConnectAsync(data.RedisConnectionString + ",allowAdmin=true");
        var before = await LimiterCallsAsync(redis);

        for (var request = 0; request < Burst; request++)
        {
            using var response = await client.GetAsync("/api/tasks");
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        }

        // The first request took the whole burst (PermitsPerRedisCall, clamped to it) and the rest were served from it;
        // one more call if the held permits lapsed (1 s) on a busy machine, never one per request.
        Assert.InRange(await LimiterCallsAsync(redis) - before, 1, 2);
    }

    [Fact]
    public async Task With_Redis_down_each_gateway_limits_on_its_own_counts_it_and_fails_nothing()
    {
        var gateway = await WarmGatewayAsync();
        await data.StopAsync(DataInfrastructure.Redis);
        try
        {
            var token = TokenIssuer.Create(fixture.Jwt, Guid.NewGuid().ToString("N"), Roles.Operator);

            var (admitted, seconds) = await SendAsync(token, [gateway], requestsEach: 2 * Burst);

            Assert.InRange(admitted, Burst, Burst + Math.Ceiling(seconds) + 1);
            Assert.Equal(2 * Burst, Exposition.Value(await MetricsAsync(gateway), Fallbacks));
        }
        finally
        {
            await data.StartAsync(DataInfrastructure.Redis);
        }
    }

    public void Dispose() => _gateways.ForEach(gateway => gateway.Dispose());

    /// <summary>
    /// Sends the requests at once and returns how many the limiter admitted (the dead service's 502 behind it) and how
    /// long the run took. Anything but 429 or 502 fails the test: the limiter's store must never fail a request.
    /// </summary>
    private static async Task<(int Admitted, double Seconds)> SendAsync(string token, WebApplicationFactory<Program>[] gateways, int requestsEach)
    {
        var clients = gateways.Select(gateway => gateway.CreateClient().WithToken(token)).ToArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var responses = await Task.WhenAll(clients.SelectMany(client => Enumerable.Range(0, requestsEach).Select(_ => client.GetAsync("/api/tasks"))));
        var seconds = clock.Elapsed.TotalSeconds;

        Assert.All(responses, response => Assert.Contains(response.StatusCode, new[] { HttpStatusCode.TooManyRequests, HttpStatusCode.BadGateway }));
        return (responses.Count(response => response.StatusCode == HttpStatusCode.BadGateway), seconds);
    }

    /// <summary>
    /// A gateway that has served a request (another user's, from another bucket). Held permits lapse after a second and the
    /// bucket refills by the second, so what a test counts must not include a cold host's first request: building the
    /// host, JIT and the first connection can take longer than that on a busy machine, and the permits taken for it lapse.
    /// </summary>
    private async Task<WebApplicationFactory<Program>> WarmGatewayAsync()
    {
        // Settings, not the environment: the data fixture exports its own signing key while it runs.
        var gateway = fixture.Factory.WithWebHostBuilder(host => host
            .UseSetting("Jwt:SigningKey", fixture.Jwt.SigningKey)
            .UseSetting("ConnectionStrings:redis", data.RedisConnectionString)
            .UseSetting("RateLimiting:Burst", Burst.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UseSetting("RateLimiting:PermitsPerSecond", "1"));
        _gateways.Add(gateway);

        using var client = gateway.CreateClient().WithToken(TokenIssuer.Create(fixture.Jwt, Guid.NewGuid().ToString("N"), Roles.Operator));
        using var response = await client.GetAsync("/api/tasks");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        return gateway;
    }

    /// <summary>The Lua calls Redis has run (the limiter's only commands): EVAL and EVALSHA from INFO commandstats.</summary>
    private static async Task<long> LimiterCallsAsync(IConnectionMultiplexer redis)
    {
        var stats = (await redis.GetServers().Single().InfoAsync("commandstats")).SelectMany(group => group).ToList();
        return stats.Where(stat => stat.Key is "cmdstat_eval" or "cmdstat_evalsha")
            .Sum(stat => long.Parse(stat.Value.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static Task<string> MetricsAsync(WebApplicationFactory<Program> gateway) => gateway.CreateClient().GetStringAsync("/metrics");
}
