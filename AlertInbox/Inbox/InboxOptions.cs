namespace Warehouse.AlertInbox.Inbox;

/// <summary>Bound from the <c>Inbox</c> section; the AppHost sets the SMTP port from the resource's "smtp" endpoint.</summary>
public sealed class InboxOptions
{
    public const string SectionName = "Inbox";

    /// <summary>Where Alertmanager's email receiver connects; 0 turns the SMTP side off.</summary>
    public int SmtpPort { get; set; }

    /// <summary>How many deliveries are kept, newest first; older ones are dropped.</summary>
    public int Capacity { get; set; } = 1000;
}
