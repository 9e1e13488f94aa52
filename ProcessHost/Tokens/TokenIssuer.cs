using Warehouse.Contracts.Security;

namespace Warehouse.ProcessHost.Tokens;

/// <summary>Mints development tokens with the platform's generated key, through the services' own <see cref="Warehouse.Contracts.Security.TokenIssuer"/>.</summary>
public sealed class TokenIssuer(string signingKeyBase64)
{
    public static readonly JwtOptions Defaults = new();

    public static readonly IReadOnlyList<string> Roles = ["operator", "planner", "admin"];

    public string Mint(string role, string? warehouse = null, string? subject = null, TimeSpan? lifetime = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        return Warehouse.Contracts.Security.TokenIssuer.Create(
            new JwtOptions { SigningKey = signingKeyBase64 }, subject ?? $"{role}-user", role, warehouse, lifetime);
    }
}
