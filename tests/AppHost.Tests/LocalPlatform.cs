using System.Security.Cryptography;
using Aspire.Hosting;

namespace AppHost.Tests;

/// <summary>
/// The whole AppHost in the local flavour (Debian's binaries, no container runtime) on random ports, its state in a
/// temp directory, removed afterwards. Every secret gets a throwaway value on the command line.
/// </summary>
public sealed class LocalPlatform : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("warehouse-apphost-").FullName;
    private IDistributedApplicationTestingBuilder? _builder;

    public DistributedApplication App { get; private set; } = null!;

    public string MonitoringPassword { get; } = Secret();

    public System.Net.Http.Headers.AuthenticationHeaderValue MonitoringAuthorization =>
        new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"monitoring:{MonitoringPassword}")));

    public IEnumerable<IResource> Resources => _builder!.Resources.Where(r => r is not ParameterResource);

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        _builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
        [
            "--AppHost:Infrastructure=local",
            $"--AppHost:DataDirectory={_dataDirectory}",
            "--Parameters:jwt-signing-key=" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            "--Parameters:monitoring-password=" + MonitoringPassword,
            "--Parameters:postgres-password=" + Secret(),
            "--Parameters:redis-password=" + Secret(),
            "--Parameters:smtp-password=" + Secret(),
            "--Parameters:alert-webhook-token=" + Secret(),
        ], timeout.Token);
        App = await _builder.BuildAsync(timeout.Token);
        try
        {
            // StartAsync returns once every resource has started, which includes waiting for their dependencies.
            await Task.WhenAll(Resources.Where(r => r.Annotations.OfType<HealthCheckAnnotation>().Any())
                .Select(r => App.ResourceNotifications.WaitForResourceHealthyAsync(r.Name, timeout.Token))
                .Append(App.StartAsync(timeout.Token)));
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"not healthy within {StartTimeout}: " + string.Join("; ", Resources.Select(Describe)));
        }
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

        Directory.Delete(_dataDirectory, recursive: true);
    }

    private string Describe(IResource resource) =>
        App.ResourceNotifications.TryGetCurrentState(resource.Name, out var state)
            ? $"{resource.Name}: {state.Snapshot.State?.Text} ({state.Snapshot.HealthStatus})"
            : $"{resource.Name}: no state";

    private static string Secret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
}
