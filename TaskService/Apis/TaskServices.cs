using Warehouse.TaskService.Infrastructure;

namespace Warehouse.TaskService.Apis;

/// <summary>The dependencies every task endpoint needs, one singleton injected by DI (eShop's "services" parameter).</summary>
public sealed class TaskServices(TaskRepository repository, TaskNotifier notifier, TaskMetrics metrics)
{
    public TaskRepository Repository { get; } = repository;

    public TaskNotifier Notifier { get; } = notifier;

    public TaskMetrics Metrics { get; } = metrics;
}
