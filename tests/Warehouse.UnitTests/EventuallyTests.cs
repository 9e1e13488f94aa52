using Warehouse.Testing;

namespace Warehouse.UnitTests;

public sealed class EventuallyTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Returns_what_the_probe_finds_once_it_finds_it()
    {
        var calls = 0;

        var found = await Eventually.FoundAsync(() => ++calls < 3 ? null : $"after {calls}", TimeSpan.FromSeconds(5), () => "never");

        Assert.Equal("after 3", found);
    }

    [Fact]
    public async Task A_condition_that_never_holds_times_out_saying_what_was_seen()
    {
        var seen = 0;

        var error = await Assert.ThrowsAsync<TimeoutException>(() => Eventually.TrueAsync(() => ++seen < 0, Short, () => $"saw {seen}"));

        Assert.Contains($"saw {seen}", error.Message);
        Assert.True(seen > 1, "the condition was polled once only");
    }

    [Fact]
    public async Task A_component_not_answering_yet_is_polled_again_and_its_last_error_named()
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            Eventually.TrueAsync(() => Task.FromException<bool>(new HttpRequestException("connection refused")), Short, "the server answers"));

        Assert.Contains("the server answers", error.Message);
        Assert.Contains("connection refused", error.Message);
    }

    [Fact]
    public async Task Any_other_error_fails_at_once()
    {
        var calls = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(() => Eventually.TrueAsync(
            () => ++calls == 1 ? throw new InvalidOperationException("the server exited") : true,
            TimeSpan.FromSeconds(5)));

        Assert.Equal(1, calls);
    }
}
