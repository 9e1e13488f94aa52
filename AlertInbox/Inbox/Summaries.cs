using System.Text.Json;

namespace Warehouse.AlertInbox.Inbox;

/// <summary>The line a person reads first, from each receiver's payload: Alertmanager's webhook, Slack's, PagerDuty's.</summary>
public static class Summaries
{
    private const int MaxLength = 300;

    public static string Of(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var summary = root.ValueKind != JsonValueKind.Object ? null
                // Slack: the attachment's title, as the channel shows it.
                : root.TryGetProperty("attachments", out var attachments) && attachments.ValueKind == JsonValueKind.Array
                    && attachments.GetArrayLength() > 0 && attachments[0].TryGetProperty("title", out var title) ? title.GetString()
                // PagerDuty Events v2.
                : root.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.Object
                    && payload.TryGetProperty("summary", out var pagerSummary) ? $"{Text(root, "event_action")}: {pagerSummary.GetString()}"
                // Alertmanager's webhook.
                : root.TryGetProperty("status", out var status) && root.TryGetProperty("alerts", out var alerts) && alerts.ValueKind == JsonValueKind.Array
                    ? $"{status.GetString()}: {string.Join(", ", alerts.EnumerateArray().Select(AlertName).Distinct())}"
                : null;
            return Truncate(summary ?? body);
        }
        catch (JsonException)
        {
            return Truncate(body);
        }
    }

    private static string AlertName(JsonElement alert) =>
        alert.TryGetProperty("labels", out var labels) && labels.TryGetProperty("alertname", out var name) ? name.GetString() ?? "?" : "?";

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) ? value.GetString() : null;

    private static string Truncate(string text) => text.Length <= MaxLength ? text : text[..MaxLength] + "…";
}
