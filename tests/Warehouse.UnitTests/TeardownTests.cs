using Warehouse.Testing;

namespace Warehouse.UnitTests;

public sealed class TeardownTests
{
    [Fact]
    public async Task Every_step_runs_even_when_earlier_ones_throw_and_every_failure_is_reported()
    {
        var ran = new List<int>();

        var error = await Assert.ThrowsAsync<AggregateException>(() => Teardown.RunAsync(
            () => { ran.Add(1); throw new IOException("first"); },
            () => { ran.Add(2); return Task.CompletedTask; },
            () => { ran.Add(3); throw new TimeoutException("third"); }));

        Assert.Equal([1, 2, 3], ran);
        Assert.Equal(["first", "third"], error.InnerExceptions.Select(e => e.Message));
    }

    [Fact]
    public async Task A_single_failure_is_rethrown_as_it_was()
    {
        await Assert.ThrowsAsync<TimeoutException>(() => Teardown.RunAsync(() => throw new TimeoutException(), () => Task.CompletedTask));
    }

    [Fact]
    public async Task Every_kind_of_resource_is_disposed_in_order_and_null_ones_are_skipped()
    {
        var disposed = new List<string>();

        await Teardown.DisposeAllAsync(new Sync(disposed), null, new Async(disposed), new Lifetime(disposed));

        Assert.Equal(["sync", "async", "lifetime"], disposed);
    }

    [Fact]
    public async Task Something_that_cannot_be_disposed_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Teardown.DisposeAllAsync("not disposable"));
    }

    private sealed class Sync(List<string> log) : IDisposable
    {
        public void Dispose() => log.Add("sync");
    }

    private sealed class Async(List<string> log) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            log.Add("async");
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Lifetime(List<string> log) : IAsyncLifetime
    {
        public Task InitializeAsync() => Task.CompletedTask;

        public Task DisposeAsync()
        {
            log.Add("lifetime");
            return Task.CompletedTask;
        }
    }
}
