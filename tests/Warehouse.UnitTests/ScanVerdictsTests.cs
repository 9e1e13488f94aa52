extern alias taskservice;

using Warehouse.Contracts.Tasks;
using ScanAttempt = taskservice::Warehouse.TaskService.Model.ScanAttempt;
using ScanOutcome = taskservice::Warehouse.TaskService.Model.ScanOutcome;
using ScanVerdicts = taskservice::Warehouse.TaskService.Model.ScanVerdicts;

namespace Warehouse.UnitTests;

/// <summary>The rules themselves run in Postgres and are tested through the API (TaskService.Tests ScansApiTests).</summary>
public sealed class ScanVerdictsTests
{
    private static readonly TaskItem Task = new(Guid.NewGuid(), "W", TaskTypes.Putaway, "SKU", 5, 3, "A", "B", TaskStatuses.InProgress, "bob", 3, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    [Theory]
    [InlineData("other_task", "scanId", 409)]
    [InlineData("status", "taskId", 409)]
    [InlineData("sku", "sku", 422)]
    [InlineData("location", "location", 422)]
    [InlineData("quantity", "quantity", 422)]
    public void A_rejection_names_its_field_and_status(string verdict, string field, int status)
    {
        var rejected = Assert.IsType<ScanOutcome.Rejected>(ScanVerdicts.Explain(verdict, Task, Attempt("SKU-2", "Z", 4)));
        Assert.Equal((field, status), (rejected.Field, rejected.Status));
    }

    [Fact]
    public void A_location_rejection_says_where_to_scan_and_a_quantity_one_what_remains()
    {
        Assert.Contains("the task's location B", Assert.IsType<ScanOutcome.Rejected>(ScanVerdicts.Explain("location", Task, Attempt("SKU", "A", 1))).Message);
        Assert.Contains("the 2 remaining", Assert.IsType<ScanOutcome.Rejected>(ScanVerdicts.Explain("quantity", Task, Attempt("SKU", "B", 4))).Message);
    }

    [Fact]
    public void A_duplicate_returns_the_task_as_it_stands() =>
        Assert.Same(Task, Assert.IsType<ScanOutcome.Duplicate>(ScanVerdicts.Explain("duplicate", Task, Attempt("SKU", "B", 1))).Task);

    [Fact]
    public void An_unknown_verdict_is_a_bug_not_a_rejection() =>
        Assert.Throws<InvalidOperationException>(() => ScanVerdicts.Explain("maybe", Task, Attempt("SKU", "B", 1)));

    private static ScanAttempt Attempt(string sku, string location, int quantity) => new(Guid.NewGuid(), sku, location, quantity, ExpectedLocation: "B");
}
