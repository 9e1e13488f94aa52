using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;

namespace Warehouse.ProcessHost.Tokens;

/// <summary>Mints the platform's JWTs (HS256, issuer/audience per the configuration contract, claim <c>role</c>).</summary>
public sealed class TokenIssuer(string signingKeyBase64, string issuer = TokenIssuer.DefaultIssuer, string audience = TokenIssuer.DefaultAudience)
{
    public const string DefaultIssuer = "warehouse-platform";
    public const string DefaultAudience = "warehouse-api";

    public static readonly IReadOnlyList<string> Roles = ["operator", "planner", "admin"];

    private readonly byte[] _key = Convert.FromBase64String(signingKeyBase64);

    public string Mint(string role, string? warehouse = null, string? subject = null, TimeSpan? lifetime = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        var claims = new List<Claim>
        {
            new(JwtRegisteredClaimNames.Sub, subject ?? $"{role}-user"),
            new(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            new("role", role),
        };
        if (!string.IsNullOrEmpty(warehouse))
        {
            claims.Add(new Claim("warehouse", warehouse));
        }

        var now = DateTime.UtcNow;
        var token = new JwtSecurityToken(
            issuer,
            audience,
            claims,
            notBefore: now.AddSeconds(-5),
            expires: now.Add(lifetime ?? TimeSpan.FromHours(8)),
            signingCredentials: new SigningCredentials(new SymmetricSecurityKey(_key), SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }
}
