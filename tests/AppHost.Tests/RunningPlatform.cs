using System.Security.Cryptography;
using Aspire.Hosting;
using Warehouse.Contracts.Hosting;

namespace AppHost.Tests;

/// <summary>
/// The whole AppHost started once for the smoke tests (Docker required). Secret parameters get throwaway values
/// on the command line, as <c>--Parameters:name=value</c> configuration.
/// </summary>
public sealed class RunningPlatform : IAsyncLifetime
{
    // First runs pull every image.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(15);

    private IDistributedApplicationTestingBuilder? _builder;

    public DistributedApplication App { get; private set; } = null!;

    public string GrafanaAdminPassword { get; } = Token();

    public string MonitoringPassword { get; } = Token();

    /// <summary>Basic auth as Prometheus and Alertmanager require it (user <c>monitoring</c>).</summary>
    public System.Net.Http.Headers.AuthenticationHeaderValue MonitoringAuthorization =>
        new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"monitoring:{MonitoringPassword}")));

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);

        _builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>([.. SecretArguments(), "--AppHost:Infrastructure=containers"], timeout.Token);
        App = await _builder.BuildAsync(timeout.Token);
        await App.StartAsync(timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        if (_builder is not null)
        {
            await _builder.DisposeAsync();
        }
    }

    private string[] SecretArguments()
    {
        var secrets = new Dictionary<string, string>
        {
            [SecretNames.JwtSigningKey] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            [SecretNames.GrafanaAdminPassword] = GrafanaAdminPassword,
            [SecretNames.MonitoringPassword] = MonitoringPassword,
            [SecretNames.PagerDutyRoutingKey] = Token(),
            [SecretNames.SlackCriticalWebhookUrl] = "https://hooks.slack.invalid/services/critical",
            [SecretNames.SlackWarningWebhookUrl] = "https://hooks.slack.invalid/services/warning",
            [SecretNames.SmtpPassword] = Token(),
            [SecretNames.AlertWebhookToken] = Token(),
        };

        return secrets.Select(secret => $"--Parameters:{secret.Key}={secret.Value}").ToArray();
    }

    private static string Token() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
}
