using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Net.Http.Headers;

namespace Warehouse.ApiGateway.Extensions;

public static class CorsExtensions
{
    public const string PolicyName = "clients";

    /// <summary>Browser clients are listed explicitly (<c>Cors:AllowedOrigins</c>); credentials are allowed because SignalR sends them.</summary>
    public static IServiceCollection AddClientCors(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [];
        return services.AddCors(cors => cors.AddPolicy(PolicyName, policy =>
            policy.WithOrigins(origins).AllowAnyHeader().WithMethods("GET", "POST", "PUT", "DELETE").AllowCredentials()));
    }

    /// <summary>
    /// The CORS policy, and a clear refusal of a preflight from an origin it does not list: ASP.NET Core's middleware
    /// answers every preflight 204, only without the allow headers, which reads like success to whoever debugs it.
    /// </summary>
    public static WebApplication UseClientCors(this WebApplication app)
    {
        app.Use(RefuseUnknownOriginPreflight);
        app.UseCors(PolicyName);
        return app;
    }

    private static async Task RefuseUnknownOriginPreflight(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod)
            && request.Headers.Origin.ToString() is { Length: > 0 } origin)
        {
            var policy = await context.RequestServices.GetRequiredService<ICorsPolicyProvider>().GetPolicyAsync(context, PolicyName);
            if (policy is not null && !policy.IsOriginAllowed(origin))
            {
                await TypedResults.Problem(
                    title: "Origin not allowed",
                    detail: $"Cross-origin requests from {origin} are not allowed. Ask an administrator to add it to Cors:AllowedOrigins.",
                    statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    }
}
