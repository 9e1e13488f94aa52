namespace Warehouse.AlertInbox.Inbox;

/// <summary>
/// One notification as a receiver got it: <paramref name="Channel"/> is where it was sent (the request path, e.g.
/// <c>/slack/critical</c>, or <c>/email</c>), <paramref name="Summary"/> what a person reads first.
/// </summary>
public sealed record Delivery(long Id, string Channel, DateTimeOffset ReceivedAt, string Summary, string Body);
