using System.Security.Cryptography;
using Aspire.Hosting.Publishing;

namespace AppHost.Secrets;

/// <summary>
/// The platform's secrets as Aspire parameters. Passwords and keys are generated on first run and persisted in the
/// AppHost's user secrets (<c>dotnet user-secrets list --project AppHost</c>); configuration
/// (<c>Parameters:&lt;name&gt;</c>) overrides them. Nothing has a default password.
/// </summary>
internal static class SecretParameters
{
    /// <summary>A generated alphanumeric password (safe in URLs, connection strings and YAML).</summary>
    public static IResourceBuilder<ParameterResource> AddGeneratedPassword(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(name, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

    /// <summary>Base64 of 32 random bytes: the JWT signing key (HS256) the services and the token command share.</summary>
    public static IResourceBuilder<ParameterResource> AddGeneratedSigningKey(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(name, new SigningKeyDefault(), secret: true, persist: true);

    /// <summary>
    /// A receiver secret (a Slack webhook URL, a PagerDuty key) that only a real deployment has. Without one, the
    /// value keeps notifications on this machine: <paramref name="localValue"/>.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddReceiverSecret(this IDistributedApplicationBuilder builder, string name, string localValue) =>
        builder.AddParameter(name, new LocalDefault(localValue), secret: true);

    private sealed class SigningKeyDefault : ParameterDefault
    {
        public override string GetDefaultValue() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        // A deployment generates its own key the same way Aspire generates passwords.
        public override void WriteToManifest(ManifestPublishingContext context) =>
            new GenerateParameterDefault { MinLength = 44, Special = false }.WriteToManifest(context);
    }

    private sealed class LocalDefault(string value) : ParameterDefault
    {
        public override string GetDefaultValue() => value;

        // Deployments must supply the real value: nothing local goes into a manifest.
        public override void WriteToManifest(ManifestPublishingContext context)
        {
        }
    }
}
