using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

public sealed partial class PlatformScenarios
{
    [Fact]
    public async Task Stopping_and_starting_the_platform_keeps_every_task_and_import()
    {
        var warehouse = Traffic.NewWarehouse("KEEP");
        var planner = platform.Client("planner", warehouse);
        var task = await Traffic.CreateTaskAsync(planner, warehouse);
        var import = await Traffic.ImportAsync(planner, $"warehouse_id,type,sku,quantity,from_location\n{warehouse},count,SKU-9,2,C-01\n{warehouse},pick,SKU-8,1,C-02\n");
        var importId = import.GetProperty("job").GetProperty("id").GetGuid();

        var clock = Stopwatch.StartNew();
        await platform.RestartPlatformAsync();
        var restart = clock.Elapsed;

        planner = platform.Client("planner", warehouse);
        var taskAfter = await planner.GetFromJsonAsync<JsonElement>($"/api/tasks/{task.GetProperty("id").GetGuid()}");
        var importAfter = await planner.GetFromJsonAsync<JsonElement>($"/api/imports/{importId}");
        var page = await planner.GetFromJsonAsync<JsonElement>($"/api/tasks?warehouseId={warehouse}");
        Assert.Equal(task.GetRawText(), taskAfter.GetRawText());
        Assert.Equal(("succeeded", 2L), (importAfter.GetProperty("job").GetProperty("status").GetString(), importAfter.GetProperty("job").GetProperty("importedRows").GetInt64()));
        Assert.Equal(3, page.GetProperty("total").GetInt64());
        output.WriteLine($"whole platform stopped and started again (durable Postgres): {restart.TotalSeconds:F1} s");
    }
}
