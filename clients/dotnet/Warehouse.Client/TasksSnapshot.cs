using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Warehouse.Contracts.Tasks;

namespace Warehouse.Client;

/// <summary>
/// A warehouse's tasks at one sequence, read page by page over REST. Every page carries the warehouse's sequence;
/// if a change lands between two pages they disagree and the read starts again, so the snapshot is consistent.
/// </summary>
internal sealed record TasksSnapshot(IReadOnlyDictionary<Guid, TaskItem> Tasks, long Sequence)
{
    private const int PageSize = 200;
    private const int Attempts = 5;

    private sealed record Page(List<TaskItem> Items, long Total, long? Sequence);

    public static async Task<TasksSnapshot> ReadAsync(HttpClient http, WarehouseClientOptions options, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var tasks = new Dictionary<Guid, TaskItem>();
            long? sequence = null;
            var consistent = true;
            for (var number = 1; consistent; number++)
            {
                var page = await GetPageAsync(http, options, number, ct);
                sequence ??= page.Sequence ?? 0;
                consistent = (page.Sequence ?? 0) == sequence;
                foreach (var task in page.Items)
                {
                    tasks[task.Id] = task;
                }

                if (page.Items.Count < PageSize || number * PageSize >= page.Total)
                {
                    break;
                }
            }

            if (consistent)
            {
                return new TasksSnapshot(tasks, sequence ?? 0);
            }

            if (attempt == Attempts)
            {
                throw new InvalidOperationException(
                    $"Warehouse {options.WarehouseId} changed during each of {Attempts} reads of its tasks; try again when it is quieter.");
            }
        }
    }

    private static async Task<Page> GetPageAsync(HttpClient http, WarehouseClientOptions options, int number, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get,
            new Uri(options.Gateway, $"/api/tasks?warehouseId={Uri.EscapeDataString(options.WarehouseId)}&page={number}&pageSize={PageSize}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await options.AccessTokenProvider());
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<Page>(JsonSerializerOptions.Web, ct)
            ?? throw new InvalidOperationException("The task service answered an empty page.");
    }
}
