using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Warehouse.Contracts.Security;

namespace Warehouse.ServiceDefaults.Security;

public static class AuthenticationExtensions
{
    /// <summary>JWT bearer authentication and the platform's role policies, shared by every service and the gateway.</summary>
    public static IHostApplicationBuilder AddDefaultAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<JwtOptions>()
            .Bind(builder.Configuration.GetSection(JwtOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.SigningKey), "Jwt:SigningKey is not configured. Supply it as a secret (see README).")
            .ValidateOnStart();

        builder.Services.AddSingleton<JwtValidation>();
        builder.Services.AddAuthentication(JwtBearerHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, JwtBearerHandler>(JwtBearerHandler.SchemeName, null);

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Operations, p => p.RequireRole(Roles.Operator, Roles.Admin))
            .AddPolicy(Policies.Planning, p => p.RequireRole(Roles.Planner, Roles.Admin))
            .AddPolicy(Policies.Administration, p => p.RequireRole(Roles.Admin));

        return builder;
    }
}
