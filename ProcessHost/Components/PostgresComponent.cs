using Npgsql;
using Warehouse.ProcessHost.Hosting;
using Warehouse.ProcessHost.Processes;

namespace Warehouse.ProcessHost.Components;

/// <summary>
/// PostgreSQL 15 from Debian: a persistent cluster in <c>&lt;data&gt;/postgres/data</c>, initialised on first
/// run with scram-sha-256 and the generated password, run as <c>postgres</c> when the host is root, the Unix
/// socket next to the cluster. Stopped with SIGINT = <c>pg_ctl stop -m fast</c> (clean checkpoint, no data loss).
/// </summary>
public sealed class PostgresComponent(ComponentContext context) : ProcessComponent(ComponentNames.Postgres, context)
{
    public const string Database = "warehousedb";
    private const string OsUser = "postgres";

    public override IReadOnlyList<string> RequiredBinaries => ["postgres", "initdb"];

    public override string Url => $"postgresql://127.0.0.1:{Port}/{Database}";

    protected override int StopSignal => Posix.SIGINT;

    private bool RunAsPostgres => Posix.IsRoot;

    protected override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        var paths = Context.Paths;
        Directory.CreateDirectory(paths.PostgresDir);
        File.SetUnixFileMode(paths.PostgresDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (RunAsPostgres)
        {
            var (uid, gid) = Posix.LookupUser(OsUser)
                ?? throw new PlatformException($"{Name}: running as root needs the '{OsUser}' system user (created by the Debian package 'postgresql').");
            Posix.ChownRecursive(paths.PostgresDir, uid, gid);
            EnsureParentsTraversable(paths.PostgresDir);
        }

        if (!File.Exists(Path.Combine(paths.PostgresData, "PG_VERSION")))
        {
            await InitDbAsync(cancellationToken);
        }
    }

    private async Task InitDbAsync(CancellationToken cancellationToken)
    {
        var paths = Context.Paths;
        if (Directory.Exists(paths.PostgresData))
        {
            Directory.Delete(paths.PostgresData, recursive: true); // a half-initialised cluster from an interrupted run
        }

        var pwfile = Path.Combine(paths.PostgresDir, ".pwfile");
        await File.WriteAllTextAsync(pwfile, Context.Secrets.PostgresPassword + "\n", cancellationToken);
        File.SetUnixFileMode(pwfile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (RunAsPostgres)
        {
            var (uid, gid) = Posix.LookupUser(OsUser)!.Value;
            Posix.Chown(pwfile, uid, gid);
        }

        try
        {
            List<string> args =
            [
                "-D", paths.PostgresData, "-U", "postgres", "--auth=scram-sha-256", $"--pwfile={pwfile}",
                "-E", "UTF8", "--locale=C.UTF-8",
            ];
            if (Context.Options.FastPostgres)
            {
                args.Add("--no-sync");
            }

            Log.Write("[processhost] first run: initdb");
            var launch = new ProcessLaunch(Binary("initdb"), args) { RunAsUser = RunAsPostgres ? OsUser : null, WorkingDirectory = paths.PostgresDir };
            var code = await ProcessRunner.RunAsync(launch, Log, TimeSpan.FromMinutes(2), cancellationToken);
            if (code != 0)
            {
                throw new PlatformException($"{Name}: initdb failed with exit code {code}. Log: {LogPath}{Environment.NewLine}{Log.Tail()}");
            }
        }
        finally
        {
            File.Delete(pwfile);
        }
    }

    protected override ProcessLaunch CreateLaunch()
    {
        var paths = Context.Paths;
        List<string> args =
        [
            "-D", paths.PostgresData,
            "-p", Port.ToString(),
            "-k", paths.PostgresDir,
            "-c", "listen_addresses=127.0.0.1",
        ];
        if (Context.Options.FastPostgres)
        {
            args.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }

        return new ProcessLaunch(Binary("postgres"), args)
        {
            RunAsUser = RunAsPostgres ? OsUser : null,
            WorkingDirectory = paths.PostgresDir,
        };
    }

    protected override async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(Context.PostgresConnectionString("postgres") + ";Pooling=false;Timeout=3");
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidPassword)
        {
            // Waiting would not help: the cluster was initialised with other secrets.
            throw new PlatformException(
                $"{Name}: the cluster in {Context.Paths.PostgresData} rejects the password in {Context.Paths.SecretsFile} " +
                "(it was initialised with other secrets). Restore that secrets.json, or start with --reset to re-initialise the cluster (its data is lost).");
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or IOException or TimeoutException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    protected override async Task OnHealthyAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Context.PostgresConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @name", connection);
        exists.Parameters.AddWithValue("name", Database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"create database {Database}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            Log.Write($"[processhost] created database {Database}");
        }
    }

    /// <summary>
    /// postgres must traverse every parent of its directory. Adds o+x only where it is missing (e.g. a 0700
    /// temp dir of a test); never removes anything.
    /// </summary>
    private void EnsureParentsTraversable(string directory)
    {
        for (var dir = Directory.GetParent(directory); dir is not null; dir = dir.Parent)
        {
            var mode = File.GetUnixFileMode(dir.FullName);
            if ((mode & UnixFileMode.OtherExecute) == 0)
            {
                File.SetUnixFileMode(dir.FullName, mode | UnixFileMode.OtherExecute);
                Log.Write($"[processhost] added o+x to {dir.FullName} so the postgres user can reach its data directory");
            }
        }
    }
}
