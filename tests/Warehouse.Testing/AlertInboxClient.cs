using System.Net.Http.Json;

namespace Warehouse.Testing;

/// <summary>A notification as the platform's alert inbox received it (AlertInbox's <c>GET /deliveries</c>).</summary>
public sealed record InboxDelivery(long Id, string Channel, DateTimeOffset ReceivedAt, string Summary, string Body);

/// <summary>Reads the local flavour's alert inbox, where Alertmanager's webhook, Slack, PagerDuty and email receivers deliver.</summary>
public sealed class AlertInboxClient(Uri inbox)
{
    private readonly HttpClient _http = new() { BaseAddress = inbox, Timeout = TimeSpan.FromSeconds(10) };

    public async Task<IReadOnlyList<InboxDelivery>> DeliveriesAsync(string? channel = null) =>
        await _http.GetFromJsonAsync<List<InboxDelivery>>(channel is null ? "/deliveries" : $"/deliveries?channel={Uri.EscapeDataString(channel)}") ?? [];

    /// <summary>Waits until a delivery satisfies <paramref name="match"/>; fails listing what did arrive.</summary>
    public async Task<InboxDelivery> WaitForAsync(Func<InboxDelivery, bool> match, TimeSpan timeout, string what)
    {
        IReadOnlyList<InboxDelivery> seen = [];
        return await Eventually.FoundAsync(async () => (seen = await DeliveriesAsync()).FirstOrDefault(match), timeout, () =>
            $"no delivery matched: {what}. Received:\n{string.Join("\n", seen.Select(d => $"{d.ReceivedAt:HH:mm:ss} {d.Channel} {d.Summary}"))}");
    }
}
