using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Warehouse.Testing;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// The basic-auth credentials Prometheus and Alertmanager require (--web.config.file), as the deployment
/// makes them: a random password for user "monitoring" and its bcrypt hash in web.yml.
/// </summary>
public sealed class BasicAuth
{
    public const string User = "monitoring";

    private BasicAuth(string password, string bcryptHash)
    {
        Password = password;
        BcryptHash = bcryptHash;
    }

    public string Password { get; }

    public string BcryptHash { get; }

    /// <summary>Contents of a Prometheus/Alertmanager web config file (exporter-toolkit format).</summary>
    public string WebConfigYaml => $"basic_auth_users:\n  {User}: '{BcryptHash}'\n";

    public AuthenticationHeaderValue Header =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));

    /// <summary>
    /// Hashes with python3's crypt module (libxcrypt's bcrypt, present on Debian 12's Python 3.11), or with
    /// htpasswd (apt apache2-utils) where python3 has no crypt module (Python 3.13 removed it). Cost 4 keeps
    /// the tests fast: every authenticated request verifies the hash. Deployments use cost 10 or more.
    /// </summary>
    public static async Task<BasicAuth> CreateAsync(int cost = 4)
    {
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        const string script =
            "import crypt,sys; print(crypt.crypt(sys.stdin.read(), crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=2**int(sys.argv[1]))))";
        var result = await Tool.RunAsync("python3", ["-W", "ignore", "-c", script, cost.ToString()], stdin: password);
        var hash = result.StdOut.Trim();
        if (result.ExitCode != 0 && Tool.Find("htpasswd") is not null)
        {
            result = await Tool.RunAsync("htpasswd", ["-nbBC", cost.ToString(), User, password]);
            hash = result.StdOut.Trim().Split(':', 2)[^1];
        }

        if (result.ExitCode != 0 || !hash.StartsWith("$2", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"could not make a bcrypt hash with python3's crypt module or htpasswd (apt apache2-utils).\n{result}");
        }

        return new BasicAuth(password, hash);
    }

    public HttpClient CreateClient(string baseUrl)
    {
        var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = Header;
        return client;
    }
}
