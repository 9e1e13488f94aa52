using System.Runtime.ExceptionServices;
using Xunit;

namespace Warehouse.Testing;

/// <summary>Cleanup that runs every step even when an earlier one throws, so one failure leaks nothing else.</summary>
public static class Teardown
{
    /// <summary>Runs every step in order, then rethrows the failure (an <see cref="AggregateException"/> for several).</summary>
    public static async Task RunAsync(params Func<Task>[] steps)
    {
        var failures = new List<Exception>();
        foreach (var step in steps)
        {
            try
            {
                await step();
            }
            catch (Exception ex)
            {
                failures.Add(ex);
            }
        }

        if (failures.Count == 1)
        {
            ExceptionDispatchInfo.Throw(failures[0]);
        }

        if (failures.Count > 1)
        {
            throw new AggregateException("Several cleanup steps failed.", failures);
        }
    }

    /// <summary>Disposes each resource in order (null ones are skipped) as <see cref="RunAsync"/> runs steps.</summary>
    public static Task DisposeAllAsync(params object?[] resources) => RunAsync(resources.Select(DisposeStep).ToArray());

    private static Func<Task> DisposeStep(object? resource) => resource switch
    {
        null => () => Task.CompletedTask,
        IAsyncDisposable disposable => () => disposable.DisposeAsync().AsTask(),
        IDisposable disposable => () =>
        {
            disposable.Dispose();
            return Task.CompletedTask;
        },
        IAsyncLifetime lifetime => lifetime.DisposeAsync,
        _ => throw new ArgumentException($"{resource.GetType().Name} is neither disposable nor an IAsyncLifetime.", nameof(resource)),
    };
}
