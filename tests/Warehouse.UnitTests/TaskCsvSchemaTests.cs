extern alias importservice;

using importservice::Warehouse.ImportService.Importing;

namespace Warehouse.UnitTests;

public sealed class TaskCsvSchemaTests
{
    [Fact]
    public void Columns_may_come_in_any_order_and_optional_ones_may_be_left_out()
    {
        var schema = TaskCsvSchema.Parse(["QUANTITY", "sku", "type", "from_location", "warehouse_id"], out var error)!;
        Assert.Null(error);

        var draft = schema.ReadRow(["3", "S", "pick", "A", "W"], out var errors);

        Assert.Empty(errors);
        Assert.Equal(("W", "pick", "S", 3, "A", null as string), (draft!.WarehouseId, draft.Type, draft.Sku, draft.Quantity, draft.FromLocation, draft.ToLocation));
    }

    [Theory]
    [InlineData("warehouse_id;type;sku;quantity;from_location", "comma-separated")]
    [InlineData("warehouse_id,type,sku,from_location", "missing column(s) quantity")]
    [InlineData("warehouse_id,type,sku,quantity,from_location,weight", "unknown column(s) weight")]
    [InlineData("warehouse_id,type,sku,quantity,from_location,sku", "duplicated column(s) sku")]
    public void A_wrong_header_is_explained(string header, string message)
    {
        Assert.Null(TaskCsvSchema.Parse(header.Split(','), out var error));
        Assert.Contains(message, error);
    }

    [Theory]
    [InlineData("1.5", "quantity", "not a whole number")]
    [InlineData("1e3", "quantity", "not a whole number")]
    [InlineData(" 2", "quantity", "not a whole number")]
    [InlineData("999999", "quantity", "between 1 and")]
    public void Numbers_must_be_plain_whole_numbers_in_range(string quantity, string field, string message)
    {
        var schema = TaskCsvSchema.Parse(["warehouse_id", "type", "sku", "quantity", "from_location"], out _)!;
        Assert.Null(schema.ReadRow(["W", "pick", "S", quantity, "A"], out var errors));
        Assert.Contains(message, errors[field][0]);
    }

    [Fact]
    public void A_blank_line_is_recognised() => Assert.True(TaskCsvSchema.IsBlank([""]));
}
