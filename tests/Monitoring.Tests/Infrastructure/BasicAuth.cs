using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// The basic-auth credentials Prometheus and Alertmanager require (--web.config.file), as the deployment
/// makes them: a random password for user "monitoring" and its bcrypt hash in web.yml.
/// </summary>
public sealed class BasicAuth
{
    public const string User = Warehouse.Hosting.Monitoring.MonitoringAuth.User;

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

    /// <summary>Cost 4 keeps the tests fast: every authenticated request verifies the hash. Deployments use 10 or more.</summary>
    public static BasicAuth Create(int cost = 4)
    {
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        return new BasicAuth(password, BCrypt.Net.BCrypt.HashPassword(password, workFactor: cost));
    }

    public HttpClient CreateClient(string baseUrl)
    {
        var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = Header;
        return client;
    }
}
