using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AppHost.Operations;

/// <summary>
/// Every resource's console log, as the dashboard shows it, also appended to <c>&lt;directory&gt;/&lt;resource&gt;.log</c>:
/// the terminal stays for what an operator needs, and the logs outlive the dashboard.
/// </summary>
internal static class ResourceLogFiles
{
    public static IDistributedApplicationBuilder AddResourceLogFiles(this IDistributedApplicationBuilder builder, string directory)
    {
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, cancellationToken) =>
        {
            var logs = @event.Services.GetRequiredService<ResourceLoggerService>();
            var stopping = @event.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            Directory.CreateDirectory(directory);
            foreach (var resource in @event.Model.Resources.Where(resource => resource is not ParameterResource))
            {
                _ = Task.Run(() => CopyAsync(logs, resource, Path.Combine(directory, resource.Name + ".log"), stopping));
            }

            return Task.CompletedTask;
        });
        return builder;
    }

    private static async Task CopyAsync(ResourceLoggerService logs, IResource resource, string path, CancellationToken stopping)
    {
        // Opened on the first line, so resources that never log leave no empty file.
        StreamWriter? file = null;
        try
        {
            await foreach (var batch in logs.WatchAsync(resource).WithCancellation(stopping))
            {
                file ??= new StreamWriter(path, append: true) { AutoFlush = true };
                foreach (var line in batch)
                {
                    await file.WriteLineAsync(line.Content);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The AppHost is stopping: the file is complete.
        }
        finally
        {
            if (file is not null)
            {
                await file.DisposeAsync();
            }
        }
    }
}
