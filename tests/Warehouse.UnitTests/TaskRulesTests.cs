using Warehouse.Contracts.Tasks;

namespace Warehouse.UnitTests;

public sealed class TaskRulesTests
{
    private static readonly TaskDraft Valid = new("WH1", TaskTypes.Move, "SKU-1", 10, "A-01", "B-02", "alice");

    [Fact]
    public void A_valid_draft_has_no_errors() => Assert.Empty(TaskRules.Validate(Valid));

    [Theory]
    [InlineData("warehouseId")]
    [InlineData("type")]
    [InlineData("sku")]
    [InlineData("quantity")]
    [InlineData("fromLocation")]
    [InlineData("toLocation")]
    public void Missing_required_fields_are_named(string field)
    {
        var draft = field switch
        {
            "warehouseId" => Valid with { WarehouseId = null },
            "type" => Valid with { Type = "" },
            "sku" => Valid with { Sku = null },
            "quantity" => Valid with { Quantity = null },
            "fromLocation" => Valid with { FromLocation = "" },
            _ => Valid with { ToLocation = null },
        };
        Assert.Equal([field], TaskRules.Validate(draft).Keys);
    }

    [Fact]
    public void Pick_and_count_need_no_destination()
    {
        Assert.Empty(TaskRules.Validate(Valid with { Type = TaskTypes.Pick, ToLocation = null }));
        Assert.Empty(TaskRules.Validate(Valid with { Type = TaskTypes.Count, ToLocation = null }));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(TaskRules.MaxQuantity, true)]
    [InlineData(TaskRules.MaxQuantity + 1, false)]
    public void Quantity_has_bounds(int quantity, bool valid) =>
        Assert.Equal(valid, !TaskRules.Validate(Valid with { Quantity = quantity }).ContainsKey("quantity"));

    [Theory]
    [InlineData("sku", TaskRules.MaxSkuLength)]
    [InlineData("fromLocation", TaskRules.MaxLocationLength)]
    [InlineData("warehouseId", TaskRules.MaxWarehouseIdLength)]
    [InlineData("assignee", TaskRules.MaxAssigneeLength)]
    public void Lengths_are_limited(string field, int max)
    {
        TaskDraft With(string value) => field switch
        {
            "sku" => Valid with { Sku = value },
            "fromLocation" => Valid with { FromLocation = value },
            "warehouseId" => Valid with { WarehouseId = value },
            _ => Valid with { Assignee = value },
        };
        Assert.Empty(TaskRules.Validate(With(new string('a', max))));
        Assert.Contains($"at most {max}", TaskRules.Validate(With(new string('a', max + 1)))[field][0]);
    }

    [Theory]
    [InlineData("A 01")]
    [InlineData("A,01")]
    [InlineData("A\"01")]
    [InlineData("Ä-01")]
    public void Identifiers_allow_only_safe_characters(string location) =>
        Assert.True(TaskRules.Validate(Valid with { FromLocation = location }).ContainsKey("fromLocation"));
}
