using AppHost.Operations;
using Warehouse.Contracts.Notifications;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

public sealed partial class PlatformScenarios
{
    [Fact]
    public async Task Every_panel_of_every_dashboard_returns_data()
    {
        // Grafana's $__rate_interval: four scrape intervals.
        var queries = DashboardQuery.Load(platform.RepoRoot, 4 * Config.ScrapeInterval("taskservice"));
        Assert.NotEmpty(queries);

        // Panels about failures need failures: errors through the gateway (which also burn the SLO budget),
        // a failed import, a dropped message, WebSocket disconnects, and ordinary work for the rest.
        await platform.Host.ExecuteAsync("taskservice", FaultSwitchCommands.InjectErrors);
        using var traffic = new CancellationTokenSource();
        var driver = KeepBusyAsync(traffic.Token);
        try
        {
            await WaitForFiringAsync("ApiAvailabilityBudgetFastBurn", "taskservice",
                Config.AlertFor("ApiAvailabilityBudgetFastBurn") + TimeSpan.FromMinutes(1) + Pipeline("apigateway") + Slack);

            IReadOnlyList<DashboardQuery> empty = [];
            await Eventually.TrueAsync(
                async () => (empty = await EmptyAsync(queries)).Count == 0,
                Pipeline("apigateway") + Slack,
                () => $"{empty.Count} of {queries.Count} panel queries returned no data:\n" + string.Join("\n", empty.Select(q => $"{q.Dashboard} / {q.Panel}: {q.Expr}")));

            output.WriteLine($"{queries.Count} panel queries over {queries.Select(q => q.Dashboard).Distinct().Count()} dashboards all returned data");
        }
        finally
        {
            await platform.Host.ExecuteAsync("taskservice", FaultSwitchCommands.ClearFaults);
            await traffic.CancelAsync();
            await driver;
        }
    }

    private async Task<IReadOnlyList<DashboardQuery>> EmptyAsync(IReadOnlyList<DashboardQuery> queries)
    {
        var empty = new List<DashboardQuery>();
        foreach (var query in queries)
        {
            if ((await platform.Monitoring.QueryAsync(query.Expr)).Length == 0)
            {
                empty.Add(query);
            }
        }

        return empty;
    }

    /// <summary>Load, not assertions: with a fault switch on, half of this work fails, which is the point.</summary>
    private async Task KeepBusyAsync(CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Traffic.WorkAsync(platform);
            }
            catch (Exception ex) when (ex is Xunit.Sdk.XunitException or HttpRequestException)
            {
                failures++;
            }

            await using (await platform.ConnectAsync("operator", "WH-PANELS"))
            {
                await platform.PublishAsync(Notification.Channel, "not a notification");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
        }

        output.WriteLine($"background work rounds that met the injected faults: {failures}");
    }
}
