extern alias taskservice;

using Warehouse.Contracts.Tasks;
using ScanRules = taskservice::Warehouse.TaskService.Model.ScanRules;
using TaskItem = taskservice::Warehouse.TaskService.Model.TaskItem;

namespace Warehouse.UnitTests;

public sealed class ScanRulesTests
{
    private static readonly TaskItem Task = new(Guid.NewGuid(), "W", TaskTypes.Pick, "SKU", 5, 3, "A", null, TaskStatuses.InProgress, "bob", 3, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    [Fact]
    public void The_remaining_quantity_at_the_right_place_is_accepted() => Assert.Null(ScanRules.Check(Task, "SKU", "A", 2));

    [Theory]
    [InlineData("OTHER", "A", 1, "sku")]
    [InlineData("SKU", "B", 1, "location")]
    [InlineData("SKU", "A", 3, "quantity")]
    public void A_mismatch_names_its_field(string sku, string location, int quantity, string field) =>
        Assert.Equal(field, ScanRules.Check(Task, sku, location, quantity)?.Field);

    [Theory]
    [InlineData(TaskStatuses.Open)]
    [InlineData(TaskStatuses.Done)]
    [InlineData(TaskStatuses.Cancelled)]
    public void Tasks_not_being_worked_refuse_scans(string status) =>
        Assert.Equal(409, ScanRules.Check(Task with { Status = status }, "SKU", "A", 1)?.Status);
}
