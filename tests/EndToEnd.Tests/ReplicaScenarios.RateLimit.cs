using System.Diagnostics;
using System.Net;

namespace Warehouse.EndToEnd.Tests;

public sealed partial class ReplicaScenarios
{
    /// <summary>
    /// One user floods both gateways at once, far above the limit, for a few seconds. The bucket is the user's across
    /// the platform (Redis): what both gateways accepted together is the burst plus the sustained rate over the window,
    /// not twice it; each gateway refused some, and the whole burst was served. The replenishment may add one period's
    /// tokens at the window's edge, so the bound allows one second more.
    /// </summary>
    [Fact]
    public async Task A_user_flooding_two_gateways_is_limited_to_the_documented_total_rate_not_twice_it()
    {
        var window = TimeSpan.FromSeconds(5);
        const int SendersPerGateway = 4;
        var warehouse = Traffic.NewWarehouse("RRL");
        var subject = $"flooder-{Guid.NewGuid():N}";
        var gateways = platform.Gateways.Count;
        var clients = Enumerable.Range(0, gateways).Select(gateway => platform.Client("operator", warehouse, subject, gateway)).ToList();
        var accepted = new int[gateways];
        var limited = new int[gateways];

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, gateways * SendersPerGateway).Select(sender => Task.Run(async () =>
        {
            var gateway = sender % gateways;
            while (clock.Elapsed < window)
            {
                using var response = await clients[gateway].GetAsync($"/api/tasks?warehouseId={warehouse}");
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    Interlocked.Increment(ref limited[gateway]);
                }
                else
                {
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    Interlocked.Increment(ref accepted[gateway]);
                }
            }
        })));
        var elapsed = clock.Elapsed;
        clients.ForEach(client => client.Dispose());

        var allowed = ReplicaPlatformFixture.Burst + ReplicaPlatformFixture.PermitsPerSecond * (elapsed.TotalSeconds + 1);
        output.WriteLine($"one user through {gateways} gateways for {elapsed.TotalSeconds:F1} s: accepted {string.Join(" + ", accepted)} = {accepted.Sum()} " +
            $"(documented total at most {allowed:F0}: burst {ReplicaPlatformFixture.Burst} + {ReplicaPlatformFixture.PermitsPerSecond}/s), " +
            $"429s {string.Join(" + ", limited)} = {limited.Sum()}; after the burst {(accepted.Sum() - ReplicaPlatformFixture.Burst) / elapsed.TotalSeconds:F1} accepted a second");
        Assert.All(limited, refused => Assert.True(refused > 0, "a gateway refused nothing: the flood was not above the limit there"));
        Assert.InRange(accepted.Sum(), ReplicaPlatformFixture.Burst, allowed);
    }
}
