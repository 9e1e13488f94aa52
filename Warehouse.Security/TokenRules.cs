using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Warehouse.Contracts.Security;

namespace Warehouse.Security;

/// <summary>
/// What a validly signed, in-date token must also hold here. A subject: the services record who created a task or an
/// import. A role the platform knows: "any authenticated user" must not include a token with no role at all. A
/// bounded lifetime: a leaked token with <c>exp</c> in the year 9999 would never stop working.
/// </summary>
internal static class TokenRules
{
    /// <summary>A shift is 8 hours (the development tokens' lifetime); no token may live longer than a day.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);

    private static readonly HashSet<string> KnownRoles = [Roles.Operator, Roles.Planner, Roles.Admin];

    /// <summary>Why the token is refused, or null when it may be used.</summary>
    public static string? Refusal(ClaimsPrincipal user, SecurityToken token, DateTime utcNow, TimeSpan clockSkew)
    {
        if (string.IsNullOrWhiteSpace(user.FindFirst(ClaimNames.Subject)?.Value))
        {
            return "The token has no subject (sub).";
        }

        if (!user.FindAll(ClaimNames.Role).Any(role => KnownRoles.Contains(role.Value)))
        {
            return $"The token has no known role ({string.Join(", ", KnownRoles)}).";
        }

        if (token.ValidTo - utcNow > MaxLifetime + clockSkew)
        {
            return $"The token expires more than {MaxLifetime.TotalHours} hours from now.";
        }

        // Measured from when it became valid, so a long-lived token is refused for its whole life, not only at first.
        var from = token.ValidFrom != DateTime.MinValue ? token.ValidFrom : (token as JsonWebToken)?.IssuedAt ?? DateTime.MinValue;
        return from != DateTime.MinValue && token.ValidTo - from > MaxLifetime
            ? $"The token lives longer than {MaxLifetime.TotalHours} hours."
            : null;
    }
}
