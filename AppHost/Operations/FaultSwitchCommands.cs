using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using AppHost.Extensions;
using Warehouse.Contracts.Faults;

namespace AppHost.Operations;

/// <summary>
/// The services' fault switches as dashboard commands, so an operator (or an end-to-end test) can make the
/// error-rate and latency alerts fire for real. A service reloads its <c>Faults:File</c> on change; a command
/// returns once the service's <c>/health</c> reports the new state.
/// </summary>
public static class FaultSwitchCommands
{
    public const string InjectErrors = "inject-errors";
    public const string InjectLatency = "inject-latency";
    public const string ClearFaults = "clear-faults";

    public const double ErrorRate = 0.5;
    public const int LatencyMs = 400;
    public const string PathPrefix = "/api";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };

    internal static IResourceBuilder<ProjectResource> WithFaultSwitches(this IResourceBuilder<ProjectResource> service, string faultsDirectory)
    {
        var file = Path.Combine(faultsDirectory, service.Resource.Name + ".json");
        var state = new FaultSwitch();
        var http = service.ManagementEndpoint();

        Task<ExecuteCommandResult> Apply(Action<FaultSwitch> change, ExecuteCommandContext context)
        {
            change(state);
            var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
            var running = notifications.TryGetCurrentState(context.ResourceName, out var current)
                && current.Snapshot.State?.Text == KnownResourceStates.Running;
            return state.ApplyAsync(file, running ? http : null, context.CancellationToken);
        }

        return service
            .WithEnvironment("Faults__File", file)
            .WithCommand(InjectErrors, $"Inject errors ({ErrorRate:P0} under {PathPrefix})",
                context => Apply(s => s.ErrorRate = ErrorRate, context),
                new CommandOptions { IconName = "ErrorCircle", Description = "Fails requests with 500 until faults are cleared" })
            .WithCommand(InjectLatency, $"Inject latency ({LatencyMs} ms under {PathPrefix})",
                context => Apply(s => s.LatencyMs = LatencyMs, context),
                new CommandOptions { IconName = "Clock", Description = "Delays requests until faults are cleared" })
            .WithCommand(ClearFaults, "Clear faults",
                context => Apply(s => (s.ErrorRate, s.LatencyMs) = (0, 0), context),
                new CommandOptions { IconName = "CheckmarkCircle" });
    }

    private sealed class FaultSwitch
    {
        public double ErrorRate { get; set; }

        public int LatencyMs { get; set; }

        /// <summary>Writes the file; for a running service (<paramref name="http"/> given), waits until it reports the state.</summary>
        public async Task<ExecuteCommandResult> ApplyAsync(string file, EndpointReference? http, CancellationToken cancellationToken)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var json = JsonSerializer.Serialize(new { Faults = new { ErrorRate, LatencyMs, PathPrefix } });
            var temp = file + ".tmp";
            await File.WriteAllTextAsync(temp, json, cancellationToken);
            File.Move(temp, file, overwrite: true);

            // A stopped service reads the file when it starts.
            if (http is null)
            {
                return CommandResults.Success();
            }

            var expected = FaultState.Describe(ErrorRate, LatencyMs, PathPrefix);
            var seen = "nothing";
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                while ((seen = await ReportedAsync(http.Url, timeout.Token) ?? seen) != expected)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
                }

                return CommandResults.Success();
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return CommandResults.Failure($"the service did not report '{expected}' within 30 s (it reports '{seen}'); is it running?");
            }
        }

        private static async Task<string?> ReportedAsync(string serviceUrl, CancellationToken cancellationToken)
        {
            try
            {
                using var health = JsonDocument.Parse(await Http.GetStringAsync(serviceUrl + "/health", cancellationToken));
                return health.RootElement.GetProperty("checks").TryGetProperty(FaultState.CheckName, out var check)
                    ? check.GetProperty("description").GetString()
                    : null;
            }
            catch (HttpRequestException)
            {
                // 503 while a dependency is down, or not listening yet: ask again.
                return null;
            }
        }
    }
}
