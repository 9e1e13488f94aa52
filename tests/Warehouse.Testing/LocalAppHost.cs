using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Aspire.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Warehouse.Contracts.Hosting;

namespace Warehouse.Testing;

/// <summary>
/// An AppHost (the platform's, in its local flavour, or the tests' DataHost) through Aspire.Hosting.Testing, on random
/// ports. Started once every resource with a health check is healthy; a start that hangs fails with the state of
/// every resource.
/// </summary>
public sealed class LocalAppHost : IAsyncDisposable
{
    private readonly IDistributedApplicationTestingBuilder _builder;

    private LocalAppHost(IDistributedApplicationTestingBuilder builder, DistributedApplication app)
    {
        _builder = builder;
        App = app;
    }

    public DistributedApplication App { get; }

    public IEnumerable<IResource> Resources => _builder.Resources.Where(r => r is not ParameterResource);

    /// <summary>The platform's AppHost in the local flavour, its state in <paramref name="dataDirectory"/>.</summary>
    public static Task<LocalAppHost> StartPlatformAsync(
        Type appHost,
        string dataDirectory,
        PlatformSecrets secrets,
        IEnumerable<string>? arguments = null,
        Action<IDistributedApplicationTestingBuilder>? configure = null) =>
        StartAsync(appHost, ["--AppHost:Infrastructure=local", $"--AppHost:DataDirectory={dataDirectory}", .. secrets.Arguments, .. arguments ?? []], configure);

    public static async Task<LocalAppHost> StartAsync(
        Type appHost,
        string[] arguments,
        Action<IDistributedApplicationTestingBuilder>? configure = null,
        TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromMinutes(4);
        using var cancellation = new CancellationTokenSource(limit);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync(appHost, arguments, cancellation.Token);
        configure?.Invoke(builder);
        var app = await builder.BuildAsync(cancellation.Token);
        var host = new LocalAppHost(builder, app);
        try
        {
            // StartAsync returns once every resource has started, which includes waiting for its dependencies.
            // A resource that fails to start fails the start at once.
            await Task.WhenAll(host.WaitAllHealthyAsync(WaitBehavior.StopOnResourceUnavailable, cancellation.Token), app.StartAsync(cancellation.Token));
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            var states = host.Describe();
            await host.DisposeAsync();
            throw new TimeoutException($"The AppHost was not healthy within {limit}: {states}");
        }
        catch (DistributedApplicationException ex)
        {
            // "failed to start" says nothing of why: the resources that ended say it in their own last lines.
            var ended = await host.EndedResourcesLogAsync();
            await host.DisposeAsync();
            throw new ResourceFailedException($"{ex.Message} ({host.Describe()}){ended}", ex);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>
    /// Waits until every resource with a health check is healthy; with <see cref="WaitBehavior.WaitOnResourceUnavailable"/>
    /// through any Finished state on the way (a resource the supervisor is about to start again).
    /// </summary>
    public Task WaitAllHealthyAsync(WaitBehavior behavior, CancellationToken cancellationToken) =>
        Task.WhenAll(Resources.Where(r => r.Annotations.OfType<HealthCheckAnnotation>().Any())
            .Select(r => App.ResourceNotifications.WaitForResourceHealthyAsync(r.Name, behavior, cancellationToken)));

    public Uri Endpoint(string resource, string endpoint = "http") => App.GetEndpoint(resource, endpoint);

    public async Task<string> ConnectionStringAsync(string resource) =>
        await App.GetConnectionStringAsync(resource) ?? throw new InvalidOperationException($"{resource} has no connection string.");

    /// <summary>Runs a resource command (the dashboard's buttons) and fails with its message when it fails.</summary>
    public async Task ExecuteAsync(string resource, string command, CancellationToken cancellationToken = default)
    {
        var result = await App.ResourceCommands.ExecuteCommandAsync(resource, command, cancellationToken);
        if (!result.Success)
        {
            throw new InvalidOperationException($"{resource}: command '{command}' failed: {result.Message}");
        }
    }

    public Task StopResourceAsync(string resource) => WithLogOnFailureAsync(resource, async () =>
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await ExecuteAsync(resource, KnownResourceCommands.StopCommand, timeout.Token);
        await App.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.TerminalStates, timeout.Token);
    });

    public Task StartResourceAsync(string resource) => WithLogOnFailureAsync(resource, async () =>
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        if (!(App.ResourceNotifications.TryGetCurrentState(resource, out var current) && current.Snapshot.State?.Text == KnownResourceStates.Running))
        {
            await ExecuteAsync(resource, KnownResourceCommands.StartCommand, timeout.Token);
        }

        await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
    });

    /// <summary>
    /// Kills the resource's process with SIGKILL, as a crash or the kernel's OOM killer would: no shutdown, no stop
    /// command, so the orchestrator sees a process that exited on its own. By default the whole tree (a resource's process
    /// may be a launcher with the server as its child: Postgres under its script). With <paramref name="only"/>,
    /// that one process of the resource's tree and nothing else (a server under a launcher script: what is left of the
    /// tree must notice and exit by itself). Returns once the resource is no longer running.
    /// </summary>
    public async Task KillAsync(string resource, int? only = null)
    {
        using var process = System.Diagnostics.Process.GetProcessById(only ?? ProcessId(resource));
        process.Kill(entireProcessTree: only is null);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        await App.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.State?.Text != KnownResourceStates.Running, timeout.Token);
    }

    /// <summary>The resource's process id as the orchestrator reports it (a service's is its own, <c>dotnet exec</c>): a restart changes it.</summary>
    public int ProcessId(string resource) =>
        App.ResourceNotifications.TryGetCurrentState(resource, out var current)
        && current.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
            ? Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"{resource} has no process id ({Describe()})");

    /// <summary>The last <paramref name="count"/> lines the resource wrote (the orchestrator keeps its console log).</summary>
    public async Task<IReadOnlyList<string>> LogTailAsync(string resource, int count = 40)
    {
        var lines = new Queue<string>();
        // By the model's resource: the orchestrator keeps a process's console log under the process's own name (such as
        // prometheus-xk2f9a), which a lookup by the model's name never finds. GetAllAsync reads what was written and ends;
        // the deadline only guards against an orchestrator that no longer answers.
        var model = Resources.Single(r => r.Name == resource);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await foreach (var batch in App.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(model).WithCancellation(deadline.Token))
            {
                foreach (var line in batch)
                {
                    lines.Enqueue(line.Content);
                    if (lines.Count > count)
                    {
                        lines.Dequeue();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
        }

        return [.. lines];
    }

    /// <summary>A resource that fails to stop or start says why: its own last log lines go with the exception.</summary>
    private async Task WithLogOnFailureAsync(string resource, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is not ResourceFailedException)
        {
            var tail = await LogTailAsync(resource);
            throw new ResourceFailedException($"{resource}: {ex.Message} ({Describe()}). Its last log lines:\n{string.Join("\n", tail)}", ex);
        }
    }

    /// <summary>Each resource that has ended (exited, finished, failed to start) with its last log lines.</summary>
    private async Task<string> EndedResourcesLogAsync()
    {
        var report = new System.Text.StringBuilder();
        foreach (var resource in Resources)
        {
            if (App.ResourceNotifications.TryGetCurrentState(resource.Name, out var state)
                && KnownResourceStates.TerminalStates.Contains(state.Snapshot.State?.Text))
            {
                report.Append($"\n{resource.Name} ended ({state.Snapshot.State?.Text}, exit code {state.Snapshot.ExitCode?.ToString() ?? "none"}). Its last log lines:\n");
                report.AppendJoin('\n', await LogTailAsync(resource.Name));
            }
        }

        return report.ToString();
    }

    public string Describe() => string.Join("; ", Resources.Select(resource =>
        App.ResourceNotifications.TryGetCurrentState(resource.Name, out var state)
            ? $"{resource.Name}: {state.Snapshot.State?.Text ?? "no state"} ({state.Snapshot.HealthStatus?.ToString() ?? "no health"})"
            : $"{resource.Name}: no state"));

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await _builder.DisposeAsync();
    }
}

/// <summary>Throwaway values for every secret parameter the AppHost generates on a developer's machine.</summary>
public sealed record PlatformSecrets
{
    public string JwtSigningKey { get; init; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string MonitoringPassword { get; init; } = Random();

    public string PostgresPassword { get; init; } = Random();

    public string RedisPassword { get; init; } = Random();

    public string SmtpPassword { get; init; } = Random();

    public string WebhookToken { get; init; } = Random();

    /// <summary>Basic auth on Prometheus and Alertmanager (user <c>monitoring</c>).</summary>
    public string MonitoringAuthorization =>
        "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"monitoring:{MonitoringPassword}"));

    /// <summary>
    /// Every generated secret of the local flavour. The receiver secrets are left out on purpose: their defaults keep
    /// notifications on this machine (the alert inbox).
    /// </summary>
    public IEnumerable<string> Arguments =>
    [
        $"--Parameters:{SecretNames.JwtSigningKey}={JwtSigningKey}",
        $"--Parameters:{SecretNames.MonitoringPassword}={MonitoringPassword}",
        $"--Parameters:{SecretNames.PasswordOf("postgres")}={PostgresPassword}",
        $"--Parameters:{SecretNames.PasswordOf("redis")}={RedisPassword}",
        $"--Parameters:{SecretNames.SmtpPassword}={SmtpPassword}",
        $"--Parameters:{SecretNames.AlertWebhookToken}={WebhookToken}",
    ];

    private static string Random() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
}
