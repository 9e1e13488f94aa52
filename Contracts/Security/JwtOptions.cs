namespace Warehouse.Contracts.Security;

/// <summary>Bound from the <c>Jwt</c> section. The signing key has no default: hosts supply it as a secret.</summary>
public sealed class JwtOptions
{
    public const string SectionName = "Jwt";

    public string Issuer { get; set; } = "warehouse-platform";

    public string Audience { get; set; } = "warehouse-api";

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
