using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Warehouse.Contracts.Security;
using Warehouse.Security;

namespace Warehouse.UnitTests;

public sealed class ValidatedTokenCacheTests : IDisposable
{
    private readonly JwtOptions _jwt = new() { SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
    private readonly ValidatedTokenCache _cache = new();
    private readonly CountingHandler _inner = new();
    private readonly TokenHandler _handler;

    public ValidatedTokenCacheTests() => _handler = _cache.Wrap(_inner);

    [Fact]
    public async Task A_valid_token_is_verified_once_and_each_caller_gets_its_own_identity()
    {
        var token = TokenIssuer.Create(_jwt, "ana", Roles.Operator, "WH-1");

        var first = await _handler.ValidateTokenAsync(token, Parameters(_jwt));
        var second = await _handler.ValidateTokenAsync(token, Parameters(_jwt));

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, _inner.Validations);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Equal("ana", second.ClaimsIdentity.FindFirst(ClaimNames.Subject)?.Value);
        Assert.Equal("WH-1", second.ClaimsIdentity.FindFirst(ClaimNames.Warehouse)?.Value);
    }

    [Fact]
    public async Task A_claim_added_to_one_request_s_identity_does_not_reach_the_next()
    {
        var token = TokenIssuer.Create(_jwt, "ana", Roles.Operator, "WH-1");
        var first = await _handler.ValidateTokenAsync(token, Parameters(_jwt));

        first.ClaimsIdentity.AddClaim(new Claim(ClaimNames.Role, Roles.Admin));
        var second = await _handler.ValidateTokenAsync(token, Parameters(_jwt));

        Assert.DoesNotContain(second.ClaimsIdentity.FindAll(ClaimNames.Role), c => c.Value == Roles.Admin);
    }

    [Fact]
    public async Task An_invalid_token_is_never_remembered()
    {
        var other = new JwtOptions { SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        var forged = TokenIssuer.Create(other, "mallory", Roles.Admin);

        var first = await _handler.ValidateTokenAsync(forged, Parameters(_jwt));
        var second = await _handler.ValidateTokenAsync(forged, Parameters(_jwt));

        Assert.False(first.IsValid);
        Assert.False(second.IsValid);
        Assert.Equal(2, _inner.Validations);
    }

    [Fact]
    public async Task A_remembered_token_is_refused_once_it_expires()
    {
        var token = TokenIssuer.Create(_jwt, "ana", Roles.Operator, "WH-1", lifetime: TimeSpan.FromSeconds(2));
        var strict = Parameters(_jwt);
        strict.ClockSkew = TimeSpan.Zero;
        Assert.True((await _handler.ValidateTokenAsync(token, strict)).IsValid);

        await Task.Delay(TimeSpan.FromSeconds(3));
        var late = await _handler.ValidateTokenAsync(token, strict);

        Assert.False(late.IsValid);
        Assert.IsType<SecurityTokenExpiredException>(late.Exception);
        Assert.Equal(2, _inner.Validations);
    }

    public void Dispose() => _cache.Dispose();

    private static TokenValidationParameters Parameters(JwtOptions jwt) => new()
    {
        ValidIssuer = jwt.Issuer,
        ValidAudience = jwt.Audience,
        IssuerSigningKey = new SymmetricSecurityKey(jwt.SigningKeyBytes()),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
    };

    /// <summary>The real handler, counting the validations it performs.</summary>
    private sealed class CountingHandler : JsonWebTokenHandler
    {
        private int _validations;

        public int Validations => _validations;

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Interlocked.Increment(ref _validations);
            return base.ValidateTokenAsync(token, validationParameters);
        }
    }
}
