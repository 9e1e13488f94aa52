using Warehouse.Contracts.Notifications;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

public sealed partial class PlatformScenarios
{
    [Fact]
    public async Task Traffic_through_the_gateway_makes_every_contract_metric_appear_in_Prometheus_for_its_owner()
    {
        await Traffic.WorkAsync(platform);
        await using (var client = await platform.ConnectAsync("operator", "WH-CONTRACT"))
        {
            await platform.PublishAsync(Notification.Channel, "not a notification");
        }

        var contract = MetricContract.Load(platform.RepoRoot);
        Assert.NotEmpty(contract);
        IReadOnlyList<string> missing = [];
        await Eventually.TrueAsync(
            async () => (missing = await MissingAsync(contract)).Count == 0,
            Pipeline("taskservice") + Slack,
            () => "contract metrics missing from Prometheus:\n" + string.Join("\n", missing));
    }

    private async Task<IReadOnlyList<string>> MissingAsync(IReadOnlyList<ContractMetric> contract)
    {
        var missing = new List<string>();
        // The end-to-end suite runs the local flavour, which has no Collector and no Kubernetes.
        foreach (var metric in contract.Where(m => !m.ContainersOnly && !m.KubernetesOnly))
        {
            var jobs = (await platform.Monitoring.QueryAsync($"count by (job) ({{__name__=\"{metric.Series}\"}})"))
                .Select(r => r.GetProperty("metric").TryGetProperty("job", out var job) ? job.GetString()! : "")
                .ToHashSet();
            var absent = metric.Owners.Where(o => !jobs.Contains(o)).ToList();
            if (jobs.Count == 0 || (!metric.AnyOwner && absent.Count > 0) || (metric.AnyOwner && metric.Owners.Count > 0 && !metric.Owners.Any(jobs.Contains)))
            {
                missing.Add($"{metric.Series}: seen for [{string.Join(", ", jobs)}], expected [{string.Join(", ", metric.Owners)}]{(metric.AnyOwner ? " (any)" : "")}");
            }
        }

        return missing;
    }
}
