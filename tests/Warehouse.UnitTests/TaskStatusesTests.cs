using Warehouse.Contracts.Tasks;

namespace Warehouse.UnitTests;

public sealed class TaskStatusesTests
{
    [Theory]
    [InlineData(TaskStatuses.Open, TaskStatuses.Assigned, true)]
    [InlineData(TaskStatuses.Open, TaskStatuses.InProgress, false)]
    [InlineData(TaskStatuses.Open, TaskStatuses.Done, false)]
    [InlineData(TaskStatuses.Assigned, TaskStatuses.Assigned, true)]
    [InlineData(TaskStatuses.Assigned, TaskStatuses.InProgress, true)]
    [InlineData(TaskStatuses.InProgress, TaskStatuses.Done, true)]
    [InlineData(TaskStatuses.InProgress, TaskStatuses.Assigned, false)]
    [InlineData(TaskStatuses.InProgress, TaskStatuses.Cancelled, true)]
    [InlineData(TaskStatuses.Done, TaskStatuses.Cancelled, false)]
    [InlineData(TaskStatuses.Cancelled, TaskStatuses.Open, false)]
    [InlineData("lost", TaskStatuses.Open, false)]
    public void Only_the_lifecycle_transitions_are_allowed(string from, string to, bool allowed) =>
        Assert.Equal(allowed, TaskStatuses.CanMove(from, to));
}
