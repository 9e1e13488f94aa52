using Warehouse.ServiceDefaults.Security;
using Warehouse.ApiGateway.Apis;
using Warehouse.ApiGateway.Proxy;

namespace Warehouse.ApiGateway.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddDefaultAuthentication();
        builder.Services.AddPerUserRateLimiting(builder.Configuration);
        builder.Services.Configure<GatewayLimits>(builder.Configuration.GetSection(GatewayLimits.SectionName));

        builder.Services.AddClientCors(builder.Configuration);

        builder.Services.AddHttpClient(PlatformHealthApi.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddReverseProxy().LoadFromMemory(ProxyRoutes.Routes(), ProxyRoutes.Clusters(builder.Configuration));
    }
}
