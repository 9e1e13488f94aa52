extern alias alertinbox;

using System.Net;
using System.Net.Http.Json;
using alertinbox::Warehouse.AlertInbox.Apis;
using alertinbox::Warehouse.AlertInbox.Inbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Warehouse.Testing;

namespace Warehouse.UnitTests;

/// <summary>The alert inbox's <c>GET /deliveries</c> filters, as the README promises them and the E2E tests use them.</summary>
public sealed class DeliveriesApiTests : IAsyncLifetime
{
    private WebApplication? _app;

    private HttpClient Client => _app!.GetTestClient();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DeliveryLog>();
        _app = builder.Build();
        _app.MapDeliveriesApi();
        await _app.StartAsync();

        // Ids 1, 2, 3 in this order.
        foreach (var (channel, title) in new[] { ("slack/critical", "first"), ("webhook", "second"), ("slack/critical", "third") })
        {
            var response = await Client.PostAsJsonAsync($"/{channel}", new { attachments = new[] { new { title } } });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("", "3 /slack/critical third|2 /webhook second|1 /slack/critical first")]
    [InlineData("?channel=/slack/critical", "3 /slack/critical third|1 /slack/critical first")]
    [InlineData("?after=1", "3 /slack/critical third|2 /webhook second")]
    [InlineData("?channel=/slack/critical&after=1", "3 /slack/critical third")]
    [InlineData("?channel=/slack/critical&after=3", "")]
    [InlineData("?channel=/slack", "")]
    public async Task Deliveries_are_listed_newest_first_filtered_by_channel_and_after_an_id(string query, string expected)
    {
        var deliveries = await (await Client.GetAsync("/deliveries" + query)).ReadAsync<Delivery[]>(HttpStatusCode.OK);

        Assert.Equal(expected, string.Join("|", deliveries.Select(d => $"{d.Id} {d.Channel} {d.Summary}")));
    }

    [Fact]
    public async Task An_after_that_is_not_a_number_is_400() =>
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync("/deliveries?after=yesterday")).StatusCode);
}
