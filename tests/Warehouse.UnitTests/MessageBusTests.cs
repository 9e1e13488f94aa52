using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Warehouse.Messaging;

namespace Warehouse.UnitTests;

public sealed class MessageBusTests
{
    [Fact]
    public async Task Publishing_while_Redis_is_unreachable_reports_the_loss()
    {
        // Publishes are fire-and-forget, which the Redis client drops silently on a dead connection: the bus must
        // still say so, or the task service would stop logging lost notifications.
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:redis"] = $"127.0.0.1:{ClosedPort()}" });
        builder.AddRedisMessageBus("redis");
        using var host = builder.Build();
        var bus = host.Services.GetRequiredService<IMessageBus>();

        await Assert.ThrowsAsync<MessageBusUnavailableException>(() => bus.PublishAsync("warehouse:test", "{}"));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
