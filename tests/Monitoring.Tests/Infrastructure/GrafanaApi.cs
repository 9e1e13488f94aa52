using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// The part of Grafana's HTTP API that the backup scripts use, with Grafana's rules and state (Grafana itself has
/// no Debian package and the build machines have no container runtime): basic auth; search; get by uid with the
/// folder in meta; folders that must exist before a dashboard goes into one (409 for a second one with the same
/// uid); save that refuses an existing uid without <c>overwrite</c> (412), a dashboard <c>id</c> this instance does
/// not know (404, as a backup's ids are on a new Grafana), and a missing title (400); ids and versions it assigns.
/// Documented at https://grafana.com/docs/grafana/latest/developers/http_api/dashboard/ and .../folder/.
/// </summary>
public sealed class GrafanaApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, string> _folders = [];
    private readonly Dictionary<string, (JsonObject Dashboard, string? FolderUid)> _dashboards = [];
    private int _nextId = 1;

    private GrafanaApi(WebApplication app) => _app = app;

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

    /// <summary>The dashboards it holds, by uid, with the title of their folder ("General" for none).</summary>
    public IReadOnlyDictionary<string, (JsonObject Dashboard, string Folder)> Dashboards
    {
        get
        {
            lock (_dashboards)
            {
                return _dashboards.ToDictionary(d => d.Key, d => ((JsonObject)d.Value.Dashboard.DeepClone(), FolderTitle(d.Value.FolderUid)));
            }
        }
    }

    public static async Task<GrafanaApi> StartAsync(string user, string password)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var grafana = new GrafanaApi(app);
        var expected = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))).ToString();
        app.Use(async (context, next) =>
        {
            if (context.Request.Headers.Authorization != expected)
            {
                await Results.Json(new { message = "invalid username or password" }, statusCode: 401).ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        app.MapGet("/api/search", grafana.Search);
        app.MapGet("/api/dashboards/uid/{uid}", grafana.Get);
        app.MapPost("/api/folders", grafana.CreateFolderAsync);
        app.MapPost("/api/dashboards/db", grafana.SaveAsync);
        await app.StartAsync();
        return grafana;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private IResult Search(string? type)
    {
        lock (_dashboards)
        {
            return Results.Json(_dashboards.Select(d => new
            {
                uid = d.Key, title = (string?)d.Value.Dashboard["title"], type = "dash-db", folderUid = d.Value.FolderUid, folderTitle = FolderTitle(d.Value.FolderUid),
            }));
        }
    }

    private IResult Get(string uid)
    {
        lock (_dashboards)
        {
            return _dashboards.TryGetValue(uid, out var saved)
                ? Results.Json(new JsonObject
                {
                    ["dashboard"] = saved.Dashboard.DeepClone(),
                    ["meta"] = new JsonObject { ["folderUid"] = saved.FolderUid, ["folderTitle"] = FolderTitle(saved.FolderUid) },
                })
                : Results.Json(new { message = "Dashboard not found" }, statusCode: 404);
        }
    }

    private async Task<IResult> CreateFolderAsync(HttpRequest request)
    {
        var body = await JsonNode.ParseAsync(request.Body);
        var (uid, title) = ((string?)body?["uid"], (string?)body?["title"]);
        if (string.IsNullOrWhiteSpace(title))
        {
            return Results.Json(new { message = "folder title cannot be empty" }, statusCode: 400);
        }

        lock (_dashboards)
        {
            uid ??= $"folder-{_folders.Count + 1}";
            if (!_folders.TryAdd(uid, title))
            {
                return Results.Json(new { message = "a folder with the same uid already exists" }, statusCode: 409);
            }

            return Results.Json(new { uid, title });
        }
    }

    private async Task<IResult> SaveAsync(HttpRequest request)
    {
        var body = await JsonNode.ParseAsync(request.Body);
        if (body?["dashboard"] is not JsonObject dashboard || string.IsNullOrWhiteSpace((string?)dashboard["title"]))
        {
            return Results.Json(new { message = "Dashboard title cannot be empty" }, statusCode: 400);
        }

        var folderUid = (string?)body["folderUid"];
        var overwrite = (bool?)body["overwrite"] ?? false;
        lock (_dashboards)
        {
            if (folderUid is not null && !_folders.ContainsKey(folderUid))
            {
                return Results.Json(new { message = "folder not found" }, statusCode: 400);
            }

            var uid = (string?)dashboard["uid"] ?? $"generated-{_nextId}";
            var existing = _dashboards.TryGetValue(uid, out var saved) ? saved.Dashboard : null;
            if (dashboard["id"] is JsonValue id && (existing is null || (int)id != (int)existing["id"]!))
            {
                return Results.Json(new { message = "Dashboard not found" }, statusCode: 404);
            }

            if (existing is not null && !overwrite)
            {
                return Results.Json(new { status = "name-exists", message = "A dashboard with the same uid already exists" }, statusCode: 412);
            }

            var stored = (JsonObject)dashboard.DeepClone();
            stored["uid"] = uid;
            stored["id"] = existing is null ? _nextId++ : (int)existing["id"]!;
            stored["version"] = existing is null ? 1 : (int)existing["version"]! + 1;
            _dashboards[uid] = (stored, folderUid);
            return Results.Json(new { id = (int)stored["id"]!, uid, status = "success", version = (int)stored["version"]! });
        }
    }

    private string FolderTitle(string? folderUid) => folderUid is null ? "General" : _folders[folderUid];
}
