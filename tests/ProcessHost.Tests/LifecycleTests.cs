using System.Net;
using System.Net.Sockets;
using Npgsql;
using Warehouse.ProcessHost.Components;
using Warehouse.ProcessHost.Health;
using Warehouse.ProcessHost.Hosting;
using Warehouse.ProcessHost.Secrets;
using Warehouse.ProcessHost.Tests.Infrastructure;
using Warehouse.Testing;

namespace Warehouse.ProcessHost.Tests;

/// <summary>Stopping and restarting components and the whole platform; each test owns its platform.</summary>
public sealed class LifecycleTests : IAsyncLifetime
{
    private readonly TempDir _dataDir = TestPlatform.NewDataDir();
    private readonly List<Platform> _platforms = [];

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Stops every platform the test made, each even when another fails to stop, then removes the data dir.</summary>
    public Task DisposeAsync() => Teardown.DisposeAllAsync([.. _platforms, _dataDir]);

    private Platform NewPlatform(PlatformOptions options)
    {
        var platform = new Platform(options);
        _platforms.Add(platform);
        return platform;
    }

    [Fact]
    public async Task Stopping_and_starting_Redis_alone_keeps_the_rest_running()
    {
        var platform = NewPlatform(TestPlatform.Options(_dataDir.Path));
        await platform.StartAsync();
        var before = platform.ProcessIds;
        var port = platform.Ports["redis"];

        await platform.StopComponentAsync("redis");

        await ProcessAssert.AllGoneAsync([before["redis"]], TimeSpan.FromSeconds(5));
        Assert.False(platform.Component("redis").IsRunning);
        Assert.False(await Probes.RedisPingAsync(port, platform.Secrets.RedisPassword, CancellationToken.None));
        Assert.DoesNotContain("redis", EndpointsFile.Read(platform.Paths.EndpointsFile).Pids.Keys);
        foreach (var (name, pid) in before.Where(p => p.Key != "redis"))
        {
            Assert.False(ProcessAssert.IsGone(pid), $"{name} stopped along with redis");
        }

        await platform.StartComponentAsync("redis");

        Assert.True(await Probes.RedisPingAsync(port, platform.Secrets.RedisPassword, CancellationToken.None));
        Assert.NotEqual(before["redis"], platform.ProcessIds["redis"]);
        Assert.Equal(platform.ProcessIds["redis"], EndpointsFile.Read(platform.Paths.EndpointsFile).Pids["redis"]);
    }

    [Fact]
    public async Task Stop_leaves_no_process_and_a_restart_keeps_Postgres_data()
    {
        // The production path: fsync on, a clean fast shutdown must lose nothing.
        var options = TestPlatform.Options(_dataDir.Path) with { FastPostgres = false };
        var first = NewPlatform(options);
        await first.StartAsync();
        await using (var connection = new NpgsqlConnection(first.PostgresConnectionString() + ";Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "create table processhost_probe (id int primary key, note text); insert into processhost_probe values (1, 'kept across restarts');",
                connection);
            await command.ExecuteNonQueryAsync();
        }

        var pids = first.ProcessIds.Values.ToList();
        Assert.Equal(8, pids.Count);

        await first.StopAsync();

        await ProcessAssert.AllGoneAsync(pids, TimeSpan.FromSeconds(5));
        Assert.Empty(ProcessAssert.ProcessesMentioning(_dataDir.Path));
        ProcessAssert.PortsFree(first);
        Assert.Empty(EndpointsFile.Read(first.Paths.EndpointsFile).Pids);
        Assert.Contains("database system is shut down", File.ReadAllText(first.Paths.LogFile("postgres")));

        // Same data dir, new ports: the cluster, the database and the secrets are reused.
        var second = NewPlatform(TestPlatform.Options(_dataDir.Path) with { FastPostgres = false });
        await second.StartAsync();
        Assert.Equal(first.Secrets, second.Secrets);
        await using (var connection = new NpgsqlConnection(second.PostgresConnectionString() + ";Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("select note from processhost_probe where id = 1", connection);
            Assert.Equal("kept across restarts", await command.ExecuteScalarAsync());
        }

        var log = File.ReadAllText(second.Paths.LogFile("postgres"));
        Assert.DoesNotContain("was not properly shut down", log);
        Assert.Equal(1, log.Split("first run: initdb").Length - 1); // initialised once, on the first run only
    }

    [Fact]
    public async Task A_cluster_whose_secrets_were_lost_says_so_instead_of_timing_out()
    {
        var first = NewPlatform(TestPlatform.Options(_dataDir.Path) with { IncludeServices = false });
        await first.StartAsync();
        await first.StopAsync();
        File.Delete(first.Paths.SecretsFile);

        var second = NewPlatform(TestPlatform.Options(_dataDir.Path));
        var error = await Assert.ThrowsAsync<PlatformException>(() => second.StartAsync());

        Assert.Contains("postgres: the cluster", error.Message);
        Assert.Contains("--reset", error.Message);
        Assert.Empty(second.ProcessIds);

        // --reset re-initialises the cluster with the new secrets.
        var third = NewPlatform(TestPlatform.Options(_dataDir.Path) with { Reset = true });
        await third.StartAsync();
        Assert.Equal(second.Secrets, third.Secrets);
        Assert.Equal(8, third.ProcessIds.Count);
    }

    [Fact]
    public async Task A_port_already_in_use_is_reported_with_the_component_and_port()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var options = TestPlatform.Options(_dataDir.Path) with { UseFreePorts = false, Ports = PlatformPorts.Free().With("redis", port) };
        var platform = NewPlatform(options);

        var error = await Assert.ThrowsAsync<PortInUseException>(() => platform.StartAsync());

        Assert.Equal("redis", error.Component);
        Assert.Equal(port, error.Port);
        Assert.Contains($"redis: port {port}", error.Message);
        Assert.Empty(platform.ProcessIds);
    }

    [Fact]
    public async Task A_missing_binary_names_its_debian_package_before_anything_starts()
    {
        var options = TestPlatform.Options(_dataDir.Path) with { BinaryLocator = new HidingLocator("prometheus-blackbox-exporter") };
        var platform = NewPlatform(options);

        var error = await Assert.ThrowsAsync<Binaries.MissingBinaryException>(() => platform.StartAsync());

        Assert.Equal("blackbox-exporter", error.Component);
        Assert.Equal("prometheus-blackbox-exporter", error.Package);
        Assert.Contains("apt-get install -y prometheus-blackbox-exporter", error.Message);
        Assert.Empty(platform.ProcessIds);
        Assert.False(Directory.Exists(platform.Paths.PostgresData));
    }

    [Fact]
    public async Task A_component_that_dies_names_its_log_and_everything_started_is_stopped()
    {
        var badConfig = _dataDir.Combine("bad-alertmanager.yml");
        await File.WriteAllTextAsync(badConfig, "route: [this is not a route\n");
        var platform = NewPlatform(TestPlatform.Options(_dataDir.Combine("data")) with { AlertmanagerConfigFile = badConfig });

        var error = await Assert.ThrowsAsync<PlatformException>(() => platform.StartAsync());

        Assert.Contains("alertmanager exited", error.Message);
        Assert.Contains(platform.Paths.LogFile("alertmanager"), error.Message);
        Assert.Empty(platform.ProcessIds);
        Assert.Empty(ProcessAssert.ProcessesMentioning(_dataDir.Path));
        ProcessAssert.PortsFree(platform);
    }

    [Fact]
    public async Task A_health_timeout_names_the_component_and_its_log()
    {
        // A node exporter that runs but never listens. Only it gets the short timeout: a whole platform under it
        // would also need Postgres and Redis healthy within 2 s, which a loaded machine does not promise.
        var stub = _dataDir.Combine("silent-exporter.sh");
        await File.WriteAllTextAsync(stub, "#!/bin/sh\necho 'pretending to export'\nexec sleep 300\n");
        File.SetUnixFileMode(stub, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var options = TestPlatform.Options(_dataDir.Combine("data")) with { BinaryLocator = new StubLocator("prometheus-node-exporter", stub) };
        var context = new ComponentContext(options, new PlatformPaths(options), PlatformPorts.Free(), PlatformSecrets.Generate());
        var exporter = Exporters.Node(context);
        int? pid = null;
        try
        {
            await exporter.StartAsync(CancellationToken.None);
            pid = exporter.ProcessId;

            var error = await Assert.ThrowsAsync<PlatformException>(() => exporter.WaitHealthyAsync(TimeSpan.FromSeconds(2), CancellationToken.None));

            Assert.StartsWith("node-exporter did not become healthy within 2 s. Log: " + exporter.LogPath, error.Message);
            Assert.Contains("pretending to export", error.Message); // the log's last lines
        }
        finally
        {
            await exporter.StopAsync(options.StopTimeout, CancellationToken.None);
            context.DisposeLogs();
        }

        // The process that never became healthy is stopped, not left behind.
        Assert.NotNull(pid);
        await ProcessAssert.AllGoneAsync([pid.Value], TimeSpan.FromSeconds(5));
        Assert.False(exporter.IsRunning);
        Assert.False(PlatformPorts.IsInUse(exporter.Port));
    }

    private sealed class StubLocator(string name, string path) : Binaries.IBinaryLocator
    {
        private readonly Binaries.BinaryLocator _real = new();

        public string? Find(string binary) => binary == name ? path : _real.Find(binary);
    }

    private sealed class HidingLocator(string hidden) : Binaries.IBinaryLocator
    {
        private readonly Binaries.BinaryLocator _real = new();

        public string? Find(string name) => name == hidden ? null : _real.Find(name);
    }
}
