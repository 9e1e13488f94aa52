using Warehouse.ProcessHost.Health;
using Warehouse.ProcessHost.Hosting;
using Warehouse.ProcessHost.Processes;

namespace Warehouse.ProcessHost.Components;

/// <summary>
/// One of the four .NET services, run from its build output (<c>dotnet &lt;Project&gt;.dll</c>) with the
/// configuration contract (shared/DESIGN.md) in its environment. Ready when GET /health answers 200.
/// </summary>
public sealed class ServiceComponent(string name, ComponentContext context) : ProcessComponent(name, context)
{
    public string Project { get; } = ComponentNames.ProjectOf(name);

    public override IReadOnlyList<string> RequiredBinaries => ["dotnet"];

    public string OutputDir => Path.Combine(Context.Paths.RepoRoot, Project, "bin", Context.Options.Configuration, "net10.0");

    public string Dll => Path.Combine(OutputDir, Project + ".dll");

    /// <summary>Checked at start (not in Validate) because the CLI builds the dll after validation.</summary>
    protected override Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Dll))
        {
            throw new PlatformException(
                $"{Name}: {Dll} does not exist. Build it (dotnet build {Project}/{Project}.csproj -c {Context.Options.Configuration}) or run without --no-build.");
        }

        Directory.CreateDirectory(Context.Paths.FaultsDir);
        return Task.CompletedTask;
    }

    protected override ProcessLaunch CreateLaunch() =>
        new(Binary("dotnet"), [Dll]) { Environment = BuildEnvironment(), WorkingDirectory = OutputDir };

    /// <summary>The configuration contract, exactly (DESIGN.md "Configuration contract").</summary>
    public IReadOnlyDictionary<string, string> BuildEnvironment()
    {
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = Url,
            ["ASPNETCORE_ENVIRONMENT"] = Context.Options.EnvironmentName,
            ["DOTNET_ENVIRONMENT"] = Context.Options.EnvironmentName,
            ["ConnectionStrings__warehousedb"] = Context.PostgresConnectionString(),
            ["ConnectionStrings__redis"] = Context.RedisConnectionString,
            ["OTEL_SERVICE_NAME"] = Name,
            ["Jwt__Issuer"] = Tokens.TokenIssuer.Defaults.Issuer,
            ["Jwt__Audience"] = Tokens.TokenIssuer.Defaults.Audience,
            ["Jwt__SigningKey"] = Context.Secrets.JwtSigningKey,
            ["Faults__File"] = Context.Paths.FaultsFile(Name),
        };
        if (Name == ComponentNames.ImportService)
        {
            env["Imports__SpoolDirectory"] = Context.Paths.ImportsSpoolDir;
        }

        foreach (var service in ComponentNames.Services.Where(s => s != ComponentNames.ApiGateway))
        {
            env[$"services__{service}__http__0"] = Context.Url(service);
        }

        foreach (var (key, value) in Context.Options.ServiceEnvironment)
        {
            env[key] = value;
        }

        return env;
    }

    protected override Task<bool> ProbeAsync(CancellationToken cancellationToken) =>
        Probes.HttpOkAsync(Url + "/health", null, cancellationToken);
}
