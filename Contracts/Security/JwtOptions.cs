namespace Warehouse.Contracts.Security;

/// <summary>Bound from the <c>Jwt</c> section. The signing key has no default: hosts supply it as a secret.</summary>
public sealed class JwtOptions
{
    public const string SectionName = "Jwt";

    /// <summary>The issuer and audience of the platform's tokens: the services' defaults, and what the AppHost sets.</summary>
    public const string PlatformIssuer = "warehouse-platform";
    public const string PlatformAudience = "warehouse-api";

    public string Issuer { get; set; } = PlatformIssuer;

    public string Audience { get; set; } = PlatformAudience;

    /// <summary>Base64 of at least 32 random bytes (HS256).</summary>
    public string? SigningKey { get; set; }

    public byte[] SigningKeyBytes()
    {
        if (string.IsNullOrWhiteSpace(SigningKey))
        {
            throw new InvalidOperationException("Jwt:SigningKey is not configured. Supply it as a secret (see README: 'Tokens').");
        }

        var bytes = Convert.FromBase64String(SigningKey);
        return bytes.Length >= 32 ? bytes : throw new InvalidOperationException("Jwt:SigningKey must be at least 32 bytes (base64).");
    }
}
