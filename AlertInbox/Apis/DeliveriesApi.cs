using Warehouse.AlertInbox.Inbox;

namespace Warehouse.AlertInbox.Apis;

/// <summary>
/// Where the local flavour's receivers point: any POST is a delivery (Alertmanager's webhook, Slack's incoming
/// webhook, PagerDuty's Events API all POST JSON), answered as those services answer; <c>GET /deliveries</c> lists them.
/// </summary>
public static class DeliveriesApi
{
    public static IEndpointRouteBuilder MapDeliveriesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/deliveries", (string? channel, long? after, DeliveryLog log) => TypedResults.Ok(log.List(channel, after ?? 0)));
        app.MapGet("/", () => TypedResults.Redirect("/deliveries"));
        app.MapPost("/{**channel}", ReceiveAsync);
        return app;
    }

    private static async Task<IResult> ReceiveAsync(string channel, HttpRequest request, DeliveryLog log)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        log.Add("/" + channel, Summaries.Of(body), body);

        // PagerDuty's Events API answers 202; Slack's incoming webhooks answer "ok".
        return channel.StartsWith("pagerduty", StringComparison.Ordinal)
            ? TypedResults.Accepted((string?)null, new { status = "success", message = "Event processed" })
            : TypedResults.Text("ok");
    }
}
