using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Warehouse.Contracts.Tasks;

namespace Warehouse.Client;

/// <summary>
/// A warehouse's tasks as <c>GET /api/tasks/snapshot</c> serves them: the open ones (open, assigned, in progress), or
/// the completed ones, page by page from a keyset cursor. Each page is the state at its own sequence, read in one
/// database snapshot; pages read later may be at a later sequence when the warehouse changes during the read. The
/// snapshot's <see cref="Sequence"/> is its first page's: every change after it still arrives as a notification, and
/// one that a later page already holds is recognised by the task's version (<see cref="Merge"/>), so a change made
/// during the read is neither lost nor applied twice, and a busy warehouse never forces the read to start over.
/// </summary>
internal sealed record TasksSnapshot(IReadOnlyList<TaskItem> Tasks, long Sequence)
{
    private const int PageSize = 1000;

    private sealed record Page(List<TaskItem> Items, long Sequence, Guid? Next);

    public static async Task<TasksSnapshot> ReadAsync(HttpClient http, WarehouseClientOptions options, bool completed, CancellationToken ct)
    {
        var tasks = new List<TaskItem>();
        long? sequence = null;
        Guid? after = null;
        do
        {
            var page = await GetPageAsync(http, options, completed, after, ct);
            sequence ??= page.Sequence;
            tasks.AddRange(page.Items);
            after = page.Next;
        }
        while (after is not null);

        return new TasksSnapshot(tasks, sequence ?? 0);
    }

    /// <summary>
    /// Keeps the newer of two copies of a task: every change raises its version by one, so the higher version is the
    /// later state. Returns whether <paramref name="task"/> was newer than what <paramref name="tasks"/> held.
    /// </summary>
    public static bool Merge(Dictionary<Guid, TaskItem> tasks, TaskItem task)
    {
        if (tasks.TryGetValue(task.Id, out var known) && known.Version >= task.Version)
        {
            return false;
        }

        tasks[task.Id] = task;
        return true;
    }

    private static async Task<Page> GetPageAsync(HttpClient http, WarehouseClientOptions options, bool completed, Guid? after, CancellationToken ct)
    {
        var query = $"/api/tasks/snapshot?warehouseId={Uri.EscapeDataString(options.WarehouseId)}&limit={PageSize}"
            + (completed ? "&completed=true" : "") + (after is { } cursor ? $"&after={cursor}" : "");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.Gateway, query));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await options.AccessTokenProvider());
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<Page>(JsonSerializerOptions.Web, ct)
            ?? throw new InvalidOperationException("The task service answered an empty page.");
    }
}
