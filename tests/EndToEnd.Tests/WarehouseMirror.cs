using System.Net.Http.Json;
using System.Text.Json;

namespace Warehouse.EndToEnd.Tests;

/// <summary>
/// What a handheld keeps of its warehouse: the tasks and the last sequence number applied. A notification whose
/// sequence is not the next one means something was missed; the mirror then reloads the warehouse over REST.
/// </summary>
public sealed class WarehouseMirror(HttpClient api, string warehouse)
{
    public long Sequence { get; private set; }

    public int Resyncs { get; private set; }

    public Dictionary<Guid, JsonElement> Tasks { get; } = [];

    public async Task LoadAsync()
    {
        var page = await api.GetFromJsonAsync<JsonElement>($"/api/tasks?warehouseId={warehouse}&pageSize=200");
        Tasks.Clear();
        foreach (var task in page.GetProperty("items").EnumerateArray())
        {
            Tasks[task.GetProperty("id").GetGuid()] = task.Clone();
        }

        Sequence = page.GetProperty("sequence").GetInt64();
    }

    public async Task ApplyAsync(JsonElement notification)
    {
        var sequence = notification.GetProperty("sequence").GetInt64();
        if (sequence <= Sequence)
        {
            return;
        }

        if (sequence != Sequence + 1)
        {
            Resyncs++;
            await LoadAsync();
            return;
        }

        var data = notification.GetProperty("data");
        if (data.TryGetProperty("id", out var id))
        {
            Tasks[id.GetGuid()] = data.Clone();
        }

        Sequence = sequence;
    }
}
