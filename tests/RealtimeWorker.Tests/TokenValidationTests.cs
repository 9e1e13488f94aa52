using System.Net;
using Warehouse.Contracts.Security;
using Warehouse.RealtimeWorker.Hubs;
using Warehouse.Security;
using Warehouse.Testing;

namespace Warehouse.RealtimeWorker.Tests;

/// <summary>The hub is the worker's only authenticated endpoint: negotiate refuses what every service refuses.</summary>
[Collection(RealtimeCollection.Name)]
public sealed class TokenValidationTests(RealtimeFixture fixture) : BearerTokenTests
{
    private const string Negotiate = $"{TasksHub.Path}/negotiate?negotiateVersion=1";

    protected override JwtOptions Jwt => fixture.Data.Jwt;

    protected override string Role => Roles.Operator;

    protected override HttpStatusCode Accepted => HttpStatusCode.OK;

    protected override Task<HttpResponseMessage> SendAsync(string token) => fixture.Factory.CreateClient().WithToken(token).PostAsync(Negotiate, null);

    [Theory]
    [MemberData(nameof(BadTokens.Refused), MemberType = typeof(BadTokens))]
    public async Task A_bad_token_in_the_query_string_is_refused_too(string kind) =>
        await (await fixture.Factory.CreateClient().PostAsync($"{Negotiate}&access_token={BadTokens.Create(kind, fixture.Data.Jwt, Roles.Operator)}", null))
            .ExpectRefusedAsync();
}
