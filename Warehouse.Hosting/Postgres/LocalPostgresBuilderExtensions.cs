using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Warehouse.Hosting.Postgres;

public static class LocalPostgresBuilderExtensions
{
    // initdb once: a run-once resource the server waits for. A cluster that exists is left alone, a half-initialised
    // one (an interrupted first run) is started over. The password file is removed whatever happens.
    private const string InitScript = """
        set -eu
        cluster="$1"; pwfile="$2"; initdb="$3"
        trap 'rm -f "$pwfile"' EXIT
        if [ -f "$cluster/PG_VERSION" ]; then echo "cluster $cluster exists: nothing to initialise"; exit 0; fi
        rm -rf "$cluster"
        "$initdb" -D "$cluster" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8
        """;

    // The orchestrator stops a process with SIGTERM, which is PostgreSQL's "smart" shutdown: it waits for every
    // client to disconnect. SIGINT is the "fast" shutdown (clean checkpoint, clients cut off), so TERM becomes INT.
    // A stop does not wait for that checkpoint to end, and a busy, durable cluster can take seconds: a server started
    // again at once on the same cluster ($3, after "-D") first waits (up to a minute) for the previous one to exit,
    // instead of failing on its postmaster.pid.
    private const string RunScript = """
        previous=$(head -n 1 "$3/postmaster.pid" 2>/dev/null || true)
        waited=0
        while [ -n "$previous" ] && [ "$waited" -lt 600 ] && kill -0 "$previous" 2>/dev/null; do sleep 0.1; waited=$((waited + 1)); done
        trap 'kill -INT "$pid" 2>/dev/null' TERM INT
        "$@" & pid=$!
        status=0
        while kill -0 "$pid" 2>/dev/null; do wait "$pid" && status=0 || status=$?; done
        exit "$status"
        """;

    /// <summary>
    /// PostgreSQL from the installed Debian package, its state in <paramref name="stateDirectory"/> (kept across
    /// runs; delete the directory to start from scratch). Run as <c>postgres</c> when the AppHost runs as root,
    /// scram-sha-256 with a generated, persisted password, listening on loopback only.
    /// </summary>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        string stateDirectory,
        IResourceBuilder<ParameterResource>? password = null,
        int? port = null)
    {
        var passwordParameter = password?.Resource
            ?? ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);
        var (launcher, launcherArgs) = Launcher();
        var server = new LocalPostgresServerResource(name, launcher, DataDirectory.Create(stateDirectory), passwordParameter);
        var passwordFile = Path.Combine(server.WorkingDirectory, ".pwfile");

        var init = builder.AddResource(new ExecutableResource($"{name}-init", launcher, server.WorkingDirectory))
            .WithArgs([.. launcherArgs, "-c", InitScript, "initdb", server.ClusterDirectory, passwordFile, LocalBinaries.PostgresBin("initdb")])
            .WithParentRelationship(server)
            .ExcludeFromManifest();
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(init.Resource, async (_, cancellationToken) =>
        {
            if (!File.Exists(Path.Combine(server.ClusterDirectory, "PG_VERSION")))
            {
                var value = await passwordParameter.GetValueAsync(cancellationToken);
                DataDirectory.WriteSecretFile(passwordFile, value + "\n");
            }

            await DataDirectory.HandToPostgresAsync(server.WorkingDirectory, cancellationToken);
        });

        var connectionString = builder.TrackConnectionString(server);

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(
            _ => connectionString() + ";Database=postgres",
            name: healthCheckKey);

        return builder.AddResource(server)
            // A fixed port is the server's own (no proxy hop on the services' hot path); without one the orchestrator
            // allocates a port and proxies it.
            .WithEndpoint(port: port, targetPort: port, name: LocalPostgresServerResource.PrimaryEndpointName, scheme: "tcp", isProxied: port is null)
            .WithArgs(context =>
            {
                string[] head = [.. launcherArgs, "-c", RunScript, "postgres", LocalBinaries.PostgresBin("postgres"), "-D", server.ClusterDirectory, "-p"];
                head.ToList().ForEach(context.Args.Add);
                context.Args.Add(server.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                string[] tail = ["-k", server.WorkingDirectory, "-c", "listen_addresses=localhost"];
                tail.ToList().ForEach(context.Args.Add);
            })
            .WaitForCompletion(init)
            .WithHealthCheck(healthCheckKey)
            .WithIconName("DatabaseMultiple");
    }

    /// <summary>A database on the server, created (if missing) as soon as the server is healthy.</summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> builder, [ResourceName] string name, string? databaseName = null)
    {
        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        builder.Resource.AddDatabase(name, database.DatabaseName);

        // Aspire hands a container's state down to its databases, not an executable's: the database is running once
        // the server is ready and the database exists.
        builder.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(builder.Resource, async (@event, cancellationToken) =>
        {
            await CreateDatabaseAsync(builder.Resource, database.DatabaseName, cancellationToken);
            await @event.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(database, snapshot => snapshot with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
            });
        });

        var connectionString = builder.ApplicationBuilder.TrackConnectionString(database);
        var healthCheckKey = $"{name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().AddNpgSql(_ => connectionString(), name: healthCheckKey);

        return builder.ApplicationBuilder.AddResource(database).WithHealthCheck(healthCheckKey);
    }

    /// <summary>
    /// For throwaway test clusters only: no fsync, no synchronous commit, no full-page writes. A crash loses data,
    /// so nothing that proves durability may use it.
    /// </summary>
    public static IResourceBuilder<LocalPostgresServerResource> WithoutDurability(this IResourceBuilder<LocalPostgresServerResource> builder) =>
        builder.WithArgs("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");

    private static (string Command, string[] Args) Launcher() =>
        DataDirectory.RunsAsPostgresUser
            ? ("runuser", ["-u", DataDirectory.PostgresUser, "--", "/bin/sh"])
            : ("/bin/sh", []);

    private static async Task CreateDatabaseAsync(LocalPostgresServerResource server, string databaseName, CancellationToken cancellationToken)
    {
        var connectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken);
        await using var connection = new NpgsqlConnection(connectionString + ";Database=postgres;Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection);
        exists.Parameters.AddWithValue(databaseName);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"create database {new NpgsqlCommandBuilder().QuoteIdentifier(databaseName)}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
