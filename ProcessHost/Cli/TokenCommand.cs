using Warehouse.ProcessHost.Hosting;
using Warehouse.ProcessHost.Secrets;
using Warehouse.ProcessHost.Tokens;

namespace Warehouse.ProcessHost.Cli;

/// <summary><c>token --role operator [--warehouse WH1] [--sub alice]</c>: a JWT signed with the platform's key.</summary>
public static class TokenCommand
{
    public static int Run(CliArgs args)
    {
        if (args.Role is null || !TokenIssuer.Roles.Contains(args.Role))
        {
            Console.Error.WriteLine($"error: --role is required, one of: {string.Join(", ", TokenIssuer.Roles)}");
            return 2;
        }

        var dataDir = args.DataDir ?? Path.Combine(args.Repo ?? PlatformOptions.FindRepoRoot(), ".platform");
        var secretsFile = Path.Combine(dataDir, "secrets.json");
        if (!File.Exists(secretsFile))
        {
            Console.Error.WriteLine($"error: {secretsFile} does not exist: start the platform once first (it generates the signing key).");
            return 1;
        }

        var secrets = PlatformSecrets.Load(secretsFile);
        Console.WriteLine(new TokenIssuer(secrets.JwtSigningKey).Mint(args.Role, args.Warehouse, args.Subject, TimeSpan.FromHours(args.Hours)));
        return 0;
    }
}
