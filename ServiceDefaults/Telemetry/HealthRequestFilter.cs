using System.Diagnostics;
using OpenTelemetry;

namespace Warehouse.ServiceDefaults.Telemetry;

/// <summary>
/// Drops the spans of probe and scrape requests (every few seconds, forever) so traces show real work.
/// The instrumentation package's Filter option would do this; it is missing from the feed.
/// </summary>
internal sealed class HealthRequestFilter : BaseProcessor<Activity>
{
    private static readonly string[] Paths = ["/health", "/alive", "/metrics"];

    public override void OnEnd(Activity activity)
    {
        if (activity.GetTagItem("url.path") is string path && Paths.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
        {
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }
}
