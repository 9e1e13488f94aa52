using System.Net;
using Warehouse.Contracts.Security;
using Warehouse.Security;
using Warehouse.Testing;

namespace Warehouse.TaskService.Tests;

[Collection(TaskServiceCollection.Name)]
public sealed class TokenValidationTests(TaskServiceFixture fixture) : BearerTokenTests
{
    // No warehouse filter: the list answers 200 (empty) to a valid token that names no warehouse.
    private const string Tasks = "/api/tasks?pageSize=1";

    protected override JwtOptions Jwt => fixture.Data.Jwt;

    protected override string Role => Roles.Operator;

    protected override HttpStatusCode Accepted => HttpStatusCode.OK;

    protected override Task<HttpResponseMessage> SendAsync(string token) => fixture.Factory.CreateClient().WithToken(token).GetAsync(Tasks);

    [Fact]
    public async Task A_token_in_the_query_string_is_only_read_for_the_hub() =>
        await (await fixture.Factory.CreateClient().GetAsync($"{Tasks}&access_token={fixture.Data.Token(Roles.Operator)}"))
            .ExpectRefusedAsync();
}
