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
}
