using Warehouse.ApiGateway.Apis;
using Warehouse.ApiGateway.Extensions;
using Warehouse.ApiGateway.Proxy;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseMiddleware<RequestSizeLimitMiddleware>();
app.UseClientCors();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();

app.MapPlatformHealthApi();
app.MapReverseProxy(proxy =>
{
    proxy.Use(ProxyErrorProblems.WriteAsync);
    // The default pipeline's steps, which a custom pipeline must name itself.
    proxy.UseSessionAffinity();
    proxy.UseLoadBalancing();
    proxy.UsePassiveHealthChecks();
});

await app.RunAsync();

public partial class Program;
