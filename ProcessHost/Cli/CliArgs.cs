using Warehouse.ProcessHost.Hosting;

namespace Warehouse.ProcessHost.Cli;

/// <summary>Hand-parsed arguments (a handful of flags; no parser dependency).</summary>
public sealed class CliArgs
{
    public const string Usage = """
        Usage:
          dotnet run --project ProcessHost -- [options]            start the platform (Ctrl+C stops it)
          dotnet run --project ProcessHost -- token --role ROLE    print a JWT for the running platform

        Options (start):
          --reset                 wipe the state under the data dir first (Postgres, Prometheus, ...; keeps secrets.json and logs/)
          --no-build              do not build the four services first (run their existing bin/<Configuration> output)
          --infra-only            start only Postgres, Redis, exporters, Alertmanager and Prometheus
          -c, --configuration C   Debug (default) or Release
          --port NAME=PORT        override a port, e.g. --port apigateway=8100 (repeatable)
          --free-ports            pick free loopback ports for everything
          --data-dir DIR          default <repo>/.platform
          --monitoring-dir DIR    monitoring configuration (default <repo>/monitoring)
          --repo DIR              repository root (default: found from the current directory)
          --alert-resend-delay S  Prometheus --rules.alert.resend-delay in seconds (default: prometheus.flags, else 60)
          --fast-postgres         fsync off (throwaway data only)
          -q, --quiet             do not stream component logs to the console (files under <data>/logs keep them)

        Options (token):
          --role operator|planner|admin   --warehouse WH1   --sub alice   --hours 8   --data-dir DIR
        """;

    public string Command { get; private set; } = "run";

    public bool Help { get; private set; }

    public bool Reset { get; private set; }

    public bool NoBuild { get; private set; }

    public bool InfraOnly { get; private set; }

    public bool Quiet { get; private set; }

    public bool FreePorts { get; private set; }

    public bool FastPostgres { get; private set; }

    public string Configuration { get; private set; } = "Debug";

    public Dictionary<string, int> Ports { get; } = [];

    public string? DataDir { get; private set; }

    public string? Repo { get; private set; }

    public string? MonitoringDir { get; private set; }

    public int? AlertResendDelaySeconds { get; private set; }

    public string? Role { get; private set; }

    public string? Warehouse { get; private set; }

    public string? Subject { get; private set; }

    public double Hours { get; private set; } = 8;

    public static CliArgs Parse(IReadOnlyList<string> args)
    {
        var result = new CliArgs();
        var i = 0;
        if (args.Count > 0 && !args[0].StartsWith('-'))
        {
            result.Command = args[0];
            i = 1;
            if (result.Command is not ("run" or "token"))
            {
                throw new PlatformException($"Unknown command '{result.Command}'.{Environment.NewLine}{Usage}");
            }
        }

        for (; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new PlatformException($"{arg} needs a value.");
            switch (arg)
            {
                case "-h" or "--help": result.Help = true; break;
                case "--reset": result.Reset = true; break;
                case "--no-build": result.NoBuild = true; break;
                case "--infra-only": result.InfraOnly = true; break;
                case "-q" or "--quiet": result.Quiet = true; break;
                case "--free-ports": result.FreePorts = true; break;
                case "--fast-postgres": result.FastPostgres = true; break;
                case "-c" or "--configuration": result.Configuration = Value(); break;
                case "--data-dir": result.DataDir = Path.GetFullPath(Value()); break;
                case "--monitoring-dir": result.MonitoringDir = Path.GetFullPath(Value()); break;
                case "--repo": result.Repo = Path.GetFullPath(Value()); break;
                case "--alert-resend-delay": result.AlertResendDelaySeconds = int.Parse(Value()); break;
                case "--role": result.Role = Value(); break;
                case "--warehouse": result.Warehouse = Value(); break;
                case "--sub": result.Subject = Value(); break;
                case "--hours": result.Hours = double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--port":
                    var pair = Value().Split('=', 2);
                    if (pair.Length != 2 || !int.TryParse(pair[1], out var port) || !ComponentNames.All.Contains(pair[0]))
                    {
                        throw new PlatformException($"--port expects NAME=PORT with NAME one of: {string.Join(", ", ComponentNames.All)}.");
                    }

                    result.Ports[pair[0]] = port;
                    break;
                default:
                    throw new PlatformException($"Unknown option '{arg}'.{Environment.NewLine}{Usage}");
            }
        }

        return result;
    }
}
