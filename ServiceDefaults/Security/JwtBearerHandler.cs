using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Warehouse.Contracts.Security;

namespace Warehouse.ServiceDefaults.Security;

/// <summary>
/// Validates HS256 bearer tokens. It stands in for Microsoft.AspNetCore.Authentication.JwtBearer, whose 10.0
/// packages need a Microsoft.IdentityModel version the package feed lacks; the validation itself is
/// Microsoft.IdentityModel.JsonWebTokens. SignalR's WebSocket clients send the token as <c>access_token</c>.
/// </summary>
public sealed class JwtBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    JwtValidation validation) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    private static readonly JsonWebTokenHandler TokenHandler = new() { MapInboundClaims = false };

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ReadToken(Request);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        var result = await TokenHandler.ValidateTokenAsync(token, validation.Parameters);
        if (!result.IsValid)
        {
            return AuthenticateResult.Fail(result.Exception?.Message ?? "Invalid token");
        }

        var principal = new ClaimsPrincipal(result.ClaimsIdentity);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return WriteProblem(StatusCodes.Status401Unauthorized, "Authentication required", "Send a valid bearer token in the Authorization header.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblem(StatusCodes.Status403Forbidden, "Forbidden", "Your role does not allow this operation.");

    private static string? ReadToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        return request.Path.StartsWithSegments("/hubs") && request.Query.TryGetValue("access_token", out var token) ? token.ToString() : null;
    }

    private Task WriteProblem(int status, string title, string detail)
    {
        Response.StatusCode = status;
        return Results.Problem(title: title, detail: detail, statusCode: status).ExecuteAsync(Context);
    }
}

/// <summary>
/// Validation parameters built once: a handler is created per request, and a new key per request would also
/// defeat Microsoft.IdentityModel's cache of HMAC signature providers, which is keyed by the key instance.
/// </summary>
public sealed class JwtValidation(IOptions<JwtOptions> jwt)
{
    public TokenValidationParameters Parameters { get; } = new()
    {
        ValidIssuer = jwt.Value.Issuer,
        ValidAudience = jwt.Value.Audience,
        IssuerSigningKey = new SymmetricSecurityKey(jwt.Value.SigningKeyBytes()),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        NameClaimType = "sub",
        RoleClaimType = "role",
        ClockSkew = TimeSpan.FromSeconds(30),
    };
}
