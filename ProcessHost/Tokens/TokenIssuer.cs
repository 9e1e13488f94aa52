using Warehouse.ServiceDefaults.Security;

namespace Warehouse.ProcessHost.Tokens;

/// <summary>Mints development tokens with the platform's generated key, through the services' own <see cref="Warehouse.ServiceDefaults.Security.TokenIssuer"/>.</summary>
public sealed class TokenIssuer(string signingKeyBase64)
{
    public static readonly JwtOptions Defaults = new();

    public static readonly IReadOnlyList<string> Roles = [Warehouse.ServiceDefaults.Security.Roles.Operator, Warehouse.ServiceDefaults.Security.Roles.Planner, Warehouse.ServiceDefaults.Security.Roles.Admin];

    public string Mint(string role, string? warehouse = null, string? subject = null, TimeSpan? lifetime = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        return Warehouse.ServiceDefaults.Security.TokenIssuer.Create(
            new JwtOptions { SigningKey = signingKeyBase64 }, subject ?? $"{role}-user", role, warehouse, lifetime);
    }
}
