using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Warehouse.Contracts.Security;

/// <summary>Mints development and test tokens signed with the platform's key; production tokens come from an identity provider.</summary>
public static class TokenIssuer
{
    public static string Create(JwtOptions options, string subject, string role, string? warehouse = null, TimeSpan? lifetime = null) =>
        Create(options, subject, role, warehouse is null ? [] : [warehouse], lifetime);

    /// <summary>A token for <paramref name="warehouses"/>; an operator or planner acts on those only, an admin on all.</summary>
    public static string Create(JwtOptions options, string subject, string role, IReadOnlyCollection<string> warehouses, TimeSpan? lifetime = null)
    {
        var claims = new List<Claim> { new(ClaimNames.Subject, subject), new(ClaimNames.Role, role) };
        claims.AddRange(warehouses.Select(warehouse => new Claim(ClaimNames.Warehouse, warehouse)));

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity(claims),
            Expires = DateTime.UtcNow.Add(lifetime ?? TimeSpan.FromHours(8)),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(options.SigningKeyBytes()), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
