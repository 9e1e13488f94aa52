using Warehouse.ApiGateway.Apis;
using Warehouse.ApiGateway.Extensions;
using Warehouse.ApiGateway.Proxy;
using Warehouse.Faults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseServiceDefaults();
app.UseFaultSwitches();
app.UseMiddleware<RequestSizeLimitMiddleware>();
app.UseClientCors();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();

app.MapDefaultEndpoints();
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
