using Warehouse.TaskService.Infrastructure;

namespace Warehouse.TaskService.Apis;

/// <summary>The dependencies every task endpoint needs, bound with [AsParameters] in the eShop style.</summary>
public sealed class TaskServices(TaskRepository repository, TaskNotifier notifier, TaskMetrics metrics)
{
    public TaskRepository Repository { get; } = repository;

    public TaskNotifier Notifier { get; } = notifier;

    public TaskMetrics Metrics { get; } = metrics;
}
