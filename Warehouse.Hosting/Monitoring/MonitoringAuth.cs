namespace Warehouse.Hosting.Monitoring;

/// <summary>
/// Basic auth on Prometheus's and Alertmanager's UIs and APIs: one user, its password a secret, and the bcrypt hash in
/// the exporter-toolkit web config (<c>--web.config.file</c>) both read.
/// </summary>
public static class MonitoringAuth
{
    public const string User = "monitoring";

    /// <summary>Where the web config and the password file live in a run directory (or a container's config directory).</summary>
    public const string WebConfigFile = "web.yml";

    public const string PasswordFile = "secrets/monitoring_password";

    /// <summary>
    /// The web config with the hash of <paramref name="password"/>. Every authenticated request verifies it: tests may
    /// lower <paramref name="workFactor"/> to stay fast, deployments keep 10 or more.
    /// </summary>
    public static string WebConfig(string password, int workFactor = 10) =>
        $"basic_auth_users:\n  {User}: '{BCrypt.Net.BCrypt.HashPassword(password, workFactor)}'\n";
}
