using Warehouse.Hosting.Supervision;
using Warehouse.Testing;

namespace AppHost.Tests;

public class RestartSupervisionTests
{
    private static readonly RestartBackoff Backoff = new();

    [Fact]
    public void Backoff_doubles_from_one_second_to_thirty_and_starts_over_after_two_minutes_of_running()
    {
        var delays = new List<TimeSpan>();
        TimeSpan? previous = null;
        for (var i = 0; i < 7; i++)
        {
            previous = Backoff.Next(previous, ran: TimeSpan.FromSeconds(5));
            delays.Add(previous.Value);
        }

        Assert.Equal(new[] { 1, 2, 4, 8, 16, 30, 30 }.Select(s => TimeSpan.FromSeconds(s)), delays);
        Assert.Equal(TimeSpan.FromSeconds(1), Backoff.Next(TimeSpan.FromSeconds(30), ran: TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void Restart_counts_are_a_prometheus_text_file_listing_every_resource_from_zero()
    {
        using var dir = new TempDir("restarts");
        var counts = new RestartCountsFile(dir.Path);
        counts.Track("taskservice");
        counts.Track("redis");
        counts.Increment("redis");
        Assert.Equal(2, counts.Increment("redis"));

        var text = File.ReadAllText(Path.Combine(dir.Path, RestartCountsFile.FileName));
        Assert.Equal(
            "# HELP warehouse_resource_restarts_total Times the AppHost started a resource again after it exited on its own.\n" +
            "# TYPE warehouse_resource_restarts_total counter\n" +
            "warehouse_resource_restarts_total{resource=\"redis\"} 2\n" +
            "warehouse_resource_restarts_total{resource=\"taskservice\"} 0\n",
            text);
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
