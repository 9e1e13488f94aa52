using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Warehouse.Contracts.Security;
using Xunit;

namespace Warehouse.Testing;

/// <summary>
/// Tokens a service must refuse, each wrong in exactly one way, and one it must still accept: expired less than
/// the clock skew (30 s) ago. Every service and the gateway run the same battery. Signed and in date is not enough:
/// a token must name its subject and a role the platform knows, and live at most 24 hours. The platform signs HS256 only
/// and validates with <c>ValidAlgorithms = [HS256]</c>, so a token signed HS384 or HS512 with the right key is refused
/// too: no issuer of the platform's uses them, and accepting any algorithm the key fits would widen what a leaked key
/// can mint into for no one's benefit.
/// </summary>
public static class BadTokens
{
    public static TheoryData<string> Refused =>
    [
        "expired", "other-key", "alg-none", "wrong-issuer", "wrong-audience", "no-exp", "future-nbf",
        "hs384-right-key", "hs512-right-key",
        "no-role", "unknown-role", "no-sub", "empty-sub", "exp-in-9999", "lives-25-hours", "issued-long-ago",
    ];

    public static string Create(string kind, JwtOptions jwt, string role)
    {
        var now = DateTime.UtcNow;
        return kind switch
        {
            "expired" => Sign(jwt, role, notBefore: now.AddMinutes(-10), expires: now.AddMinutes(-2)),
            "expired-within-skew" => Sign(jwt, role, notBefore: now.AddMinutes(-10), expires: now.AddSeconds(-10)),
            "other-key" => Sign(jwt, role, now.AddMinutes(-1), now.AddMinutes(10), key: RandomNumberGenerator.GetBytes(32)),
            "alg-none" => Compact(jwt, role, now.AddMinutes(10), "none", sign: null),
            "wrong-issuer" => Sign(new JwtOptions { SigningKey = jwt.SigningKey, Issuer = "someone-else", Audience = jwt.Audience }, role, now.AddMinutes(-1), now.AddMinutes(10)),
            "wrong-audience" => Sign(new JwtOptions { SigningKey = jwt.SigningKey, Issuer = jwt.Issuer, Audience = "another-api" }, role, now.AddMinutes(-1), now.AddMinutes(10)),
            "no-exp" => Sign(jwt, role, now.AddMinutes(-1), expires: null),
            "future-nbf" => Sign(jwt, role, notBefore: now.AddMinutes(5), expires: now.AddMinutes(10)),
            "hs256-by-hand" => Compact(jwt, role, now.AddMinutes(10), "HS256", HMACSHA256.HashData),
            "hs384-right-key" => Compact(jwt, role, now.AddMinutes(10), "HS384", HMACSHA384.HashData),
            "hs512-right-key" => Compact(jwt, role, now.AddMinutes(10), "HS512", HMACSHA512.HashData),
            "no-role" => Sign(jwt, role, now.AddMinutes(-1), now.AddMinutes(10), claims: [new Claim("sub", "tester")]),
            "unknown-role" => Sign(jwt, "superuser", now.AddMinutes(-1), now.AddMinutes(10)),
            "no-sub" => Sign(jwt, role, now.AddMinutes(-1), now.AddMinutes(10), claims: [new Claim("role", role)]),
            "empty-sub" => Sign(jwt, role, now.AddMinutes(-1), now.AddMinutes(10), claims: [new Claim("sub", ""), new Claim("role", role)]),
            "exp-in-9999" => Sign(jwt, role, now.AddMinutes(-1), new DateTime(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc)),
            "lives-25-hours" => Sign(jwt, role, now.AddMinutes(-1), now.AddHours(25).AddMinutes(-1)),
            // Still valid for an hour, but issued a month ago: its lifetime, not its remaining time, is what is bounded.
            "issued-long-ago" => Sign(jwt, role, now.AddDays(-30), now.AddHours(1)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown token kind"),
        };
    }

    /// <summary>A 401 with problem details and a Bearer challenge, the way every service refuses a token.</summary>
    public static async Task ExpectRefusedAsync(this HttpResponseMessage response)
    {
        var problem = await response.ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Authentication required", problem.GetProperty("title").GetString());
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    private static string Sign(JwtOptions jwt, string role, DateTime notBefore, DateTime? expires, byte[]? key = null, Claim[]? claims = null)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            Subject = new ClaimsIdentity(claims ?? [new Claim("sub", "tester"), new Claim("role", role)]),
            NotBefore = notBefore,
            IssuedAt = notBefore,
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? jwt.SigningKeyBytes()), SecurityAlgorithms.HmacSha256),
        };

        // Without this the handler would add an exp of its own to the "no-exp" token.
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>
    /// A token put together by hand, as another library (or an attacker) would: IdentityModel itself refuses to sign
    /// HS384 or HS512 with the platform's 256-bit key. <paramref name="sign"/> is HMAC with the platform's key, or null
    /// for an unsigned token.
    /// </summary>
    private static string Compact(JwtOptions jwt, string role, DateTime expires, string algorithm, Func<byte[], byte[], byte[]>? sign)
    {
        static string Encode(byte[] bytes) => Base64UrlEncoder.Encode(bytes);
        var exp = new DateTimeOffset(expires).ToUnixTimeSeconds();
        var payload = $$"""{"sub":"tester","role":"{{role}}","iss":"{{jwt.Issuer}}","aud":"{{jwt.Audience}}","exp":{{exp}}}""";
        var signed = $"{Encode(Encoding.UTF8.GetBytes($$"""{"alg":"{{algorithm}}","typ":"JWT"}"""))}.{Encode(Encoding.UTF8.GetBytes(payload))}";
        return $"{signed}.{(sign is null ? "" : Encode(sign(jwt.SigningKeyBytes(), Encoding.ASCII.GetBytes(signed))))}";
    }
}
