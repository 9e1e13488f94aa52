using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using StackExchange.Redis;
using Warehouse.Data;
using Warehouse.Messaging;
using Warehouse.ServiceDefaults.Http;
using Warehouse.Testing;

namespace Warehouse.UnitTests;

public sealed class OutageTests
{
    [Theory]
    [InlineData("57P01", true)] // admin_shutdown: the server is stopping
    [InlineData("57P03", true)] // cannot_connect_now: starting or stopping
    [InlineData("53300", true)] // too_many_connections
    [InlineData("08006", true)] // connection_failure
    [InlineData("23505", false)] // unique_violation: a statement refused, not an outage
    [InlineData("40001", false)] // serialization_failure: retried by the caller's logic, not an outage
    public void A_Postgres_error_is_an_outage_only_for_the_states_of_an_unreachable_server(string sqlState, bool outage) =>
        Assert.Equal(outage, PostgresOutage.Is(new PostgresException("message", "FATAL", "FATAL", sqlState)));

    [Fact]
    public void A_refused_or_broken_connection_is_a_Postgres_outage_wherever_it_is_wrapped()
    {
        var refused = new NpgsqlException("Failed to connect", new System.Net.Sockets.SocketException(111));
        Assert.True(PostgresOutage.Is(refused));
        Assert.True(PostgresOutage.Is(new InvalidOperationException("wrapped", refused)));
        Assert.False(PostgresOutage.Is(new InvalidOperationException("a bug")));
    }

    [Fact]
    public void A_lost_Redis_connection_is_a_Redis_outage()
    {
        Assert.True(RedisOutage.Is(new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "down", null, CommandStatus.Unknown)));
        Assert.True(RedisOutage.Is(new MessageBusUnavailableException("down", null)));
        Assert.False(RedisOutage.Is(new NpgsqlException("not redis")));
    }

    [Fact]
    public void An_outage_is_logged_once_per_burst_without_a_stack_trace()
    {
        var time = new FakeTimeProvider();
        var logs = new LogRecorder();
        var log = new OutageLog(time, new LoggerFactory([logs]).CreateLogger<OutageLog>());
        var failure = new NpgsqlException("Failed to connect", new System.Net.Sockets.SocketException(111));

        for (var i = 0; i < 20; i++)
        {
            log.Failed(PostgresOutage.Dependency, failure);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        log.Failed(RedisOutage.Dependency, failure);
        time.Advance(OutageLog.Quiet + TimeSpan.FromSeconds(1));
        log.Failed(PostgresOutage.Dependency, failure);

        Assert.Equal(3, logs.Records.Count);
        Assert.All(logs.Records, r => Assert.Equal((LogLevel.Warning, null), (r.Level, r.Exception)));
        Assert.StartsWith("postgres is unavailable (Failed to connect <- ", logs.Records[0].Message);
        Assert.StartsWith("redis is unavailable", logs.Records[1].Message);
    }
}
