using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Warehouse.Client;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

public sealed partial class ReplicaScenarios
{
    private const string SecondWorker = "realtimeworker-2";

    /// <summary>
    /// Clients of the shipped .NET client follow one warehouse through both gateways, spread over both workers by the
    /// gateways' balancing (each worker's own connection count says how many it holds). One worker is killed while
    /// scans change the warehouse. Exactly its clients reconnect (to the other worker, or to it once it is back) and
    /// reload; every client ends with the tasks and sequence of a fresh snapshot, and none received a notification twice.
    /// </summary>
    [Fact]
    public async Task A_killed_realtime_worker_leaves_every_client_in_step_with_a_fresh_snapshot_and_none_notified_twice()
    {
        const int Clients = 8;
        const int Scans = 30;
        var warehouse = Traffic.NewWarehouse("RRT");
        using var planner = platform.Client("planner", warehouse);
        var id = (await Traffic.CreateTaskAsync(planner, warehouse, quantity: 1000)).GetProperty("id").GetGuid();

        var clients = new List<(WarehouseTaskView View, ConcurrentQueue<long> Received, ConcurrentQueue<ResyncReason> Reloads)>();
        try
        {
            for (var i = 0; i < Clients; i++)
            {
                var view = await platform.StartViewAsync("operator", warehouse, gateway: i);
                var (received, reloads) = (new ConcurrentQueue<long>(), new ConcurrentQueue<ResyncReason>());
                view.Received += notification => received.Enqueue(notification.Sequence);
                view.Resynchronised += reloads.Enqueue;
                clients.Add((view, received, reloads));
            }

            var onSecond = 0;
            await Eventually.TrueAsync(async () =>
            {
                onSecond = await ActiveConnectionsAsync(SecondWorker);
                return onSecond + await ActiveConnectionsAsync("realtimeworker") == Clients;
            }, TimeSpan.FromSeconds(10), "every client counted by a worker");
            Assert.InRange(onSecond, 1, Clients - 1);

            // Changes before, during and after the kill, through both gateways.
            var scans = Task.Run(async () =>
            {
                var operators = platform.Gateways.Select((_, gateway) => platform.Client("operator", warehouse, "rrt-operator", gateway)).ToList();
                for (var i = 0; i < Scans; i++)
                {
                    await (await Traffic.ScanAsync(operators[i % operators.Count], id)).ExpectAsync(HttpStatusCode.OK);
                    await Task.Delay(TimeSpan.FromMilliseconds(200));
                }

                operators.ForEach(client => client.Dispose());
            });
            await Eventually.TrueAsync(() => clients.All(c => c.View.Sequence >= 5), TimeSpan.FromSeconds(10), "the first scans notified");
            await platform.KillAndAwaitRecoveryAsync(SecondWorker, () => platform.Host.KillAsync(SecondWorker), PlatformScenarios.ComesBackWithin);
            await scans;

            await using var fresh = await platform.StartViewAsync("operator", warehouse);
            Assert.Equal(1 + Scans, fresh.Sequence);
            foreach (var (view, _, _) in clients)
            {
                await view.WaitUntilAsync(v => v.Sequence == fresh.Sequence && v.ConnectionState == HubConnectionState.Connected, TimeSpan.FromSeconds(30));
            }

            output.WriteLine($"{SecondWorker} killed with {onSecond} of {Clients} clients; per client (notifications received, reloads): " +
                string.Join(", ", clients.Select(c => $"({c.Received.Count}, {string.Join("+", c.Reloads.DefaultIfEmpty())})")));
            foreach (var (view, received, _) in clients)
            {
                Assert.Equal(Summary(fresh), Summary(view));
                Assert.Equal(received.Count, received.Distinct().Count());
            }

            Assert.Equal(onSecond, clients.Count(c => c.Reloads.Contains(ResyncReason.Reconnected)));
        }
        finally
        {
            foreach (var (view, _, _) in clients)
            {
                await view.DisposeAsync();
            }
        }
    }

    /// <summary>What a client shows of each task: the snapshot's timestamps are compared through the version.</summary>
    private static List<string> Summary(WarehouseTaskView view) =>
        [.. view.Tasks.Values.OrderBy(t => t.Id).Select(t => $"{t.Id} {t.Status} {t.QuantityDone} v{t.Version}")];

    /// <summary>The hub connections a worker holds now, from its own metrics, as Prometheus scrapes them.</summary>
    private async Task<int> ActiveConnectionsAsync(string worker)
    {
        using var http = new HttpClient();
        var exposition = await http.GetStringAsync(new Uri(platform.ManagementEndpoint(worker), "/metrics"));
        return (int)exposition.Split('\n')
            .Where(line => line.StartsWith("signalr_server_active_connections{", StringComparison.Ordinal) || line.StartsWith("signalr_server_active_connections ", StringComparison.Ordinal))
            .Sum(line => double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture));
    }
}
