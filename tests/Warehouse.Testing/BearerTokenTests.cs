using System.Net;
using Warehouse.Contracts.Security;
using Xunit;

namespace Warehouse.Testing;

/// <summary>
/// The token battery every service and the gateway run against one of their authenticated endpoints: each bad
/// token is a 401 with problem details, and a token that expired within the clock skew still gets through.
/// </summary>
public abstract class BearerTokenTests
{
    protected abstract JwtOptions Jwt { get; }

    protected abstract string Role { get; }

    /// <summary>What the endpoint answers once the token is accepted.</summary>
    protected abstract HttpStatusCode Accepted { get; }

    /// <summary>Sends the endpoint's request with <paramref name="token"/> as the bearer token.</summary>
    protected abstract Task<HttpResponseMessage> SendAsync(string token);

    [Theory]
    [MemberData(nameof(BadTokens.Refused), MemberType = typeof(BadTokens))]
    public async Task A_bad_token_is_refused_with_problem_details(string kind) =>
        await (await SendAsync(BadTokens.Create(kind, Jwt, Role))).ExpectRefusedAsync();

    [Fact]
    public async Task A_token_that_expired_within_the_clock_skew_is_still_accepted() =>
        await (await SendAsync(BadTokens.Create("expired-within-skew", Jwt, Role))).ExpectAsync(Accepted);

    /// <summary>The control for the HS384 and HS512 tokens: put together the same way, HS256 is accepted.</summary>
    [Fact]
    public async Task A_token_signed_HS256_by_hand_with_the_right_key_is_accepted() =>
        await (await SendAsync(BadTokens.Create("hs256-by-hand", Jwt, Role))).ExpectAsync(Accepted);
}
