using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Warehouse.RealtimeWorker.Memory;
using Warehouse.RealtimeWorker.Relay;

namespace Warehouse.RealtimeWorker.Tests;

public sealed class MemoryTrimmerTests : IDisposable
{
    private static readonly MemoryTrimOptions Settings = new() { MinimumCrowd = 10, Settle = TimeSpan.FromSeconds(20) };

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new();
    private readonly ConnectionGauge _connections = new();
    private readonly MemoryTrimmer _trimmer;

    public MemoryTrimmerTests() =>
        _trimmer = new MemoryTrimmer(_connections, Options.Create(Settings),
            new RealtimeMetrics(_services.GetRequiredService<IMeterFactory>()), _time, NullLogger<MemoryTrimmer>.Instance);

    [Fact]
    public void The_gauge_keeps_the_peak_until_it_is_reset_to_what_is_open()
    {
        Connect(5);
        Disconnect(3);

        Assert.Equal((2, 5), (_connections.Open, _connections.Peak));
        _connections.ResetPeak();
        Assert.Equal((2, 2), (_connections.Open, _connections.Peak));
    }

    [Fact]
    public void It_trims_once_when_a_crowd_has_halved_and_stayed_so_for_the_settle_time()
    {
        Connect(20);
        Disconnect(10);

        Assert.False(_trimmer.TrimIfTheCrowdLeft());
        _time.Advance(TimeSpan.FromSeconds(19));
        Assert.False(_trimmer.TrimIfTheCrowdLeft());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_trimmer.TrimIfTheCrowdLeft());

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.False(_trimmer.TrimIfTheCrowdLeft());
        Assert.Equal(10, _connections.Peak);
    }

    [Fact]
    public void Clients_coming_back_before_the_settle_time_start_it_again()
    {
        Connect(20);
        Disconnect(15);
        Assert.False(_trimmer.TrimIfTheCrowdLeft());
        _time.Advance(TimeSpan.FromSeconds(15));
        Connect(10);
        Assert.False(_trimmer.TrimIfTheCrowdLeft());
        Disconnect(10);

        Assert.False(_trimmer.TrimIfTheCrowdLeft());
        _time.Advance(TimeSpan.FromSeconds(15));
        Assert.False(_trimmer.TrimIfTheCrowdLeft());
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(_trimmer.TrimIfTheCrowdLeft());
    }

    [Fact]
    public void A_crowd_smaller_than_the_minimum_is_never_worth_a_collection()
    {
        Connect(9);
        Disconnect(9);

        Assert.False(_trimmer.TrimIfTheCrowdLeft());
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.False(_trimmer.TrimIfTheCrowdLeft());
    }

    public void Dispose() => _services.Dispose();

    private void Connect(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _connections.Connected();
        }
    }

    private void Disconnect(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _connections.Disconnected();
        }
    }
}
