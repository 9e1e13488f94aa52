using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Warehouse.ProcessHost.Secrets;

/// <summary>
/// Generated on first run and kept in <c>&lt;data&gt;/secrets.json</c> (mode 0600, gitignored): there are no
/// default passwords anywhere.
/// </summary>
public sealed record PlatformSecrets
{
    public const string MonitoringUser = "monitoring";

    public required string PostgresPassword { get; init; }

    public required string RedisPassword { get; init; }

    /// <summary>Base64 of 32 random bytes: <c>Jwt__SigningKey</c>.</summary>
    public required string JwtSigningKey { get; init; }

    /// <summary>Basic-auth password of user <see cref="MonitoringUser"/> on Prometheus and Alertmanager.</summary>
    public required string MonitoringPassword { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static PlatformSecrets Generate() => new()
    {
        PostgresPassword = RandomPassword(),
        RedisPassword = RandomPassword(),
        JwtSigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        MonitoringPassword = RandomPassword(),
    };

    /// <summary>Reads the file, or generates and writes it when it does not exist yet.</summary>
    public static PlatformSecrets LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Load(path);
        }

        var secrets = Generate();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, "");
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(temp, JsonSerializer.Serialize(secrets, Json));
        File.Move(temp, path, overwrite: true);
        return secrets;
    }

    public static PlatformSecrets Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<PlatformSecrets>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException("empty");
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            throw new Hosting.PlatformException($"{path} is not a valid secrets file ({ex.Message}). Delete it to generate new secrets (then also use --reset: the Postgres cluster keeps the old password).", ex);
        }
    }

    /// <summary>32 alphanumeric characters (~190 bits): safe in URLs, connection strings and YAML.</summary>
    public static string RandomPassword(int length = 32)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return RandomNumberGenerator.GetString(alphabet, length);
    }

    [JsonIgnore]
    public string MonitoringAuthorizationHeader =>
        "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{MonitoringUser}:{MonitoringPassword}"));
}
