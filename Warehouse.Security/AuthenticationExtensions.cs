using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Warehouse.Contracts.Security;

namespace Warehouse.Security;

public static class AuthenticationExtensions
{
    /// <summary>JWT bearer authentication and the platform's role policies, shared by every service and the gateway.</summary>
    public static IHostApplicationBuilder AddDefaultAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<JwtOptions>()
            .Bind(builder.Configuration.GetSection(JwtOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.SigningKey), "Jwt:SigningKey is not configured. Supply it as a secret (see README).")
            .ValidateOnStart();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddSingleton<ValidatedTokenCache>();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>, ValidatedTokenCache>((bearer, jwt, validated) =>
            {
                bearer.MapInboundClaims = false;
                // The scheme's one set of validation parameters is fixed at start, so a token valid once stays valid
                // until it expires: the cache is keyed by the token alone.
                var handlers = bearer.TokenHandlers.ToList();
                bearer.TokenHandlers.Clear();
                handlers.ForEach(handler => bearer.TokenHandlers.Add(validated.Wrap(handler)));
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt.Value.Issuer,
                    ValidAudience = jwt.Value.Audience,
                    IssuerSigningKey = new SymmetricSecurityKey(jwt.Value.SigningKeyBytes()),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    NameClaimType = ClaimNames.Subject,
                    RoleClaimType = ClaimNames.Role,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                bearer.Events = ProblemDetailsBearerEvents.Instance;
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Operations, p => p.RequireRole(Roles.Operator, Roles.Admin))
            .AddPolicy(Policies.Planning, p => p.RequireRole(Roles.Planner, Roles.Admin))
            .AddPolicy(Policies.Administration, p => p.RequireRole(Roles.Admin));

        return builder;
    }
}

/// <summary>
/// SignalR's WebSocket clients cannot set headers, so the hub (and only the hub) accepts the token as
/// <c>access_token</c> in the query string; a token must also meet <see cref="TokenRules"/>; 401 and 403 answer with
/// problem details like every other error.
/// </summary>
internal sealed class ProblemDetailsBearerEvents : JwtBearerEvents
{
    public static readonly ProblemDetailsBearerEvents Instance = new();

    public override Task MessageReceived(MessageReceivedContext context)
    {
        if (context.Request.Path.StartsWithSegments("/hubs") && context.Request.Query.TryGetValue("access_token", out var token))
        {
            context.Token = token.ToString();
        }

        return Task.CompletedTask;
    }

    /// <summary>A token that passed the signature, issuer, audience and lifetime checks still meets <see cref="TokenRules"/>.</summary>
    public override Task TokenValidated(TokenValidatedContext context)
    {
        var refusal = TokenRules.Refusal(context.Principal!, context.SecurityToken, DateTime.UtcNow, context.Options.TokenValidationParameters.ClockSkew);
        if (refusal is not null)
        {
            context.Fail(refusal);
        }

        return Task.CompletedTask;
    }

    public override async Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await WriteProblem(context.HttpContext, StatusCodes.Status401Unauthorized, "Authentication required",
            "Send a valid bearer token in the Authorization header.");
    }

    public override Task Forbidden(ForbiddenContext context) =>
        WriteProblem(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden", "Your role does not allow this operation.");

    private static Task WriteProblem(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return Results.Problem(title: title, detail: detail, statusCode: status).ExecuteAsync(context);
    }
}
