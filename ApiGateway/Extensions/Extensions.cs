using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Warehouse.ApiGateway.Apis;
using Warehouse.ApiGateway.Proxy;
using Warehouse.ApiGateway.RateLimiting;
using Warehouse.Faults;
using Warehouse.Security;

namespace Warehouse.ApiGateway.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // The proxy path is asynchronous end to end (YARP), so Kestrel may run it on the socket thread that read the
        // request instead of queueing it to the thread pool: one thread wake-up fewer per request.
        builder.Services.Configure<SocketTransportOptions>(options => options.UnsafePreferInlineScheduling = true);
        builder.AddDefaultAuthentication();
        builder.AddFaultSwitches();
        builder.AddPerUserRateLimiting("redis");
        builder.Services.Configure<GatewayLimits>(builder.Configuration.GetSection(GatewayLimits.SectionName));

        builder.Services.AddClientCors(builder.Configuration);

        // One attempt per service, bounded: the standard resilience handler would retry an unhealthy service's 503 and
        // a refused connection for 8-10 s, when a report of what is wrong now is the whole point of the view.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental.
        builder.Services.AddHttpClient(PlatformHealthApi.HttpClientName, client => client.Timeout = PlatformHealthApi.ProbeTimeout)
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddReverseProxy()
            .LoadFromMemory(ProxyRoutes.Routes(), ProxyRoutes.Clusters())
            .AddServiceDiscoveryDestinationResolver();
    }
}
