using System.Net;
using Warehouse.Contracts.Security;
using Warehouse.Security;
using Warehouse.Testing;

namespace Warehouse.ImportService.Tests;

[Collection(ImportServiceCollection.Name)]
public sealed class TokenValidationTests(ImportServiceFixture fixture) : BearerTokenTests
{
    private static readonly string UnknownImport = $"/api/imports/{Guid.NewGuid()}";

    protected override JwtOptions Jwt => fixture.Data.Jwt;

    protected override string Role => Roles.Planner;

    protected override HttpStatusCode Accepted => HttpStatusCode.NotFound;

    protected override Task<HttpResponseMessage> SendAsync(string token) => fixture.Factory.CreateClient().WithToken(token).GetAsync(UnknownImport);

    [Fact]
    public async Task A_token_in_the_query_string_is_only_read_for_the_hub() =>
        await (await fixture.Factory.CreateClient().GetAsync($"{UnknownImport}?access_token={fixture.Data.Token(Roles.Planner)}"))
            .ExpectRefusedAsync();
}
