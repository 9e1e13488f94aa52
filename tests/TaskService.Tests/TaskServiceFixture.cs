using Warehouse.Testing;

namespace Warehouse.TaskService.Tests;

public sealed class TaskServiceFixture : ServiceFixture<Program>;

[CollectionDefinition(Name)]
public sealed class TaskServiceCollection : ICollectionFixture<TaskServiceFixture>
{
    public const string Name = "taskservice";
}
