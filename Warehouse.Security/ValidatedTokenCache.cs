using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.Tokens;

namespace Warehouse.Security;

/// <summary>
/// The bearer tokens recently found valid. A client sends the same token with every request, and the gateway and the
/// service behind it each verified its signature, issuer, audience and lifetime every time: about a tenth of the
/// gateway's CPU per proxied request (perf). Only valid results are kept, each until its token expires and at most
/// <see cref="Lifetime"/>, so a rotated signing key stops being honoured within that time, as with any cache of keys.
/// </summary>
public sealed class ValidatedTokenCache : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    /// <summary>Enough for every handheld of a large site; beyond it, the oldest entries go first.</summary>
    private const int MaxTokens = 10_000;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = MaxTokens, CompactionPercentage = 0.25 });

    /// <summary>Wraps <paramref name="inner"/> so the tokens it validates are remembered here.</summary>
    public TokenHandler Wrap(TokenHandler inner) => new CachingTokenHandler(inner, this);

    public void Dispose() => _cache.Dispose();

    private bool TryGet(string token, out TokenValidationResult result)
    {
        if (_cache.TryGetValue(token, out TokenValidationResult? known) && known is not null)
        {
            result = Copy(known);
            return true;
        }

        result = null!;
        return false;
    }

    /// <summary>Keeps a valid result until its token expires, at most <see cref="Lifetime"/>.</summary>
    private void Remember(string token, TokenValidationResult result)
    {
        var now = DateTimeOffset.UtcNow;
        // A token without an expiry has ValidTo = DateTime.MinValue: it is never kept.
        var expires = new DateTimeOffset(DateTime.SpecifyKind(result.SecurityToken.ValidTo, DateTimeKind.Utc));
        var until = expires < now + Lifetime ? expires : now + Lifetime;
        if (until > now)
        {
            _cache.Set(token, Copy(result), new MemoryCacheEntryOptions { AbsoluteExpiration = until, Size = 1 });
        }
    }

    /// <summary>Each request gets an identity of its own: handlers and middleware may add claims to it.</summary>
    private static TokenValidationResult Copy(TokenValidationResult result) => new()
    {
        IsValid = result.IsValid,
        SecurityToken = result.SecurityToken,
        ClaimsIdentity = result.ClaimsIdentity.Clone(),
        Issuer = result.Issuer,
        TokenType = result.TokenType,
        TokenContext = result.TokenContext,
    };

    private sealed class CachingTokenHandler(TokenHandler inner, ValidatedTokenCache cache) : TokenHandler
    {
        public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            if (cache.TryGet(token, out var known))
            {
                return known;
            }

            var result = await inner.ValidateTokenAsync(token, validationParameters);
            if (result.IsValid)
            {
                cache.Remember(token, result);
            }

            return result;
        }

        public override SecurityToken ReadToken(string token) => inner.ReadToken(token);
    }
}
