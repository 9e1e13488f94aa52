using System.Net;
using Warehouse.Contracts.Security;
using Warehouse.Security;
using Warehouse.Testing;

namespace Warehouse.ApiGateway.Tests;

/// <summary>
/// The gateway refuses a bad token itself, before anything is proxied. The downstream services are a closed port
/// here, so an accepted request ends as the proxy's 502.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class TokenValidationTests(GatewayFixture fixture) : BearerTokenTests
{
    protected override JwtOptions Jwt => fixture.Jwt;

    protected override string Role => Roles.Operator;

    protected override HttpStatusCode Accepted => HttpStatusCode.BadGateway;

    protected override Task<HttpResponseMessage> SendAsync(string token) => fixture.Unlimited.CreateClient().WithToken(token).GetAsync("/api/tasks");

    [Theory]
    [InlineData("/api/tasks")]
    [InlineData("/health/platform")]
    public async Task A_token_in_the_query_string_is_only_read_for_the_hub(string path) =>
        await (await fixture.Unlimited.CreateClient().GetAsync($"{path}?access_token={TokenIssuer.Create(fixture.Jwt, "admin", Roles.Admin)}"))
            .ExpectRefusedAsync();
}
