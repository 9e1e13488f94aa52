using Microsoft.Extensions.Options;

namespace Warehouse.AlertInbox.Inbox;

/// <summary>
/// The last deliveries in memory, and one log line each, so a person sees alerts arrive in the Aspire dashboard's
/// console log of this resource, and a test or script reads them from <c>GET /deliveries</c>.
/// </summary>
public sealed class DeliveryLog(IOptions<InboxOptions> options, TimeProvider clock, ILogger<DeliveryLog> logger)
{
    private readonly LinkedList<Delivery> _deliveries = new();
    private readonly Lock _lock = new();
    private long _nextId;

    public Delivery Add(string channel, string summary, string body)
    {
        Delivery delivery;
        lock (_lock)
        {
            delivery = new Delivery(++_nextId, channel, clock.GetUtcNow(), summary, body);
            _deliveries.AddFirst(delivery);
            if (_deliveries.Count > options.Value.Capacity)
            {
                _deliveries.RemoveLast();
            }
        }

        logger.LogInformation("Alert delivered to {Channel}: {Summary}", channel, summary);
        return delivery;
    }

    /// <summary>Newest first; only <paramref name="channel"/>'s when given, only those after id <paramref name="after"/>.</summary>
    public IReadOnlyList<Delivery> List(string? channel, long after)
    {
        lock (_lock)
        {
            return _deliveries.Where(d => d.Id > after && (channel is null || d.Channel == channel)).ToList();
        }
    }
}
