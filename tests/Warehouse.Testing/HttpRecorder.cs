using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Warehouse.Testing;

/// <summary>One request an <see cref="HttpRecorder"/> received, with the time it arrived.</summary>
public sealed record RecordedRequest(string Method, string Path, string? Authorization, string Body, DateTime ReceivedAt);

/// <summary>
/// A real HTTP endpoint on a free loopback port that stands where Slack, PagerDuty, the alert relay or Grafana's
/// API would be: it records every request, answers what the test chose per path (200 by default), and lets a
/// test wait for a request.
/// </summary>
public sealed class HttpRecorder : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, (int Status, string? Body)> _responses = new();
    private readonly Task _loop;

    public HttpRecorder()
    {
        (_listener, Port) = FreePorts.StartAsync(
            port =>
            {
                var listener = new HttpListener();
                listener.Prefixes.Add($"http://127.0.0.1:{port}/");
                try
                {
                    listener.Start();
                    return Task.FromResult((listener, port));
                }
                catch
                {
                    listener.Close();
                    throw;
                }
            },
            ex => ex is HttpListenerException).GetAwaiter().GetResult();
        _loop = Task.Run(ListenAsync);
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public IReadOnlyCollection<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>The absolute URL of <paramref name="path"/> on this recorder.</summary>
    public string Url(string path) => $"{BaseUrl}/{path.TrimStart('/')}";

    /// <summary>Answers requests to <paramref name="path"/> with <paramref name="statusCode"/> and an optional JSON body.</summary>
    public void Respond(string path, int statusCode, string? jsonBody = null) => _responses[path] = (statusCode, jsonBody);

    /// <summary>Waits until a recorded request satisfies <paramref name="match"/>; fails listing what did arrive.</summary>
    public Task<RecordedRequest> WaitForAsync(Func<RecordedRequest, bool> match, TimeSpan timeout, string what) =>
        Eventually.FoundAsync(() => _requests.FirstOrDefault(match), timeout, () =>
            $"no request matched: {what}. Received:\n{string.Join("\n", _requests.Select(r => $"{r.Method} {r.Path} {r.Body[..Math.Min(300, r.Body.Length)]}"))}");

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _loop;
        _listener.Close();
    }

    private async Task ListenAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                await RecordAndAnswerAsync(context);
            }
            catch (Exception ex) when (ex is IOException or HttpListenerException)
            {
                // The client went away mid-request; keep serving the others.
            }
        }
    }

    private async Task RecordAndAnswerAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var path = context.Request.Url!.AbsolutePath;
        var body = await reader.ReadToEndAsync();
        _requests.Enqueue(new RecordedRequest(context.Request.HttpMethod, path, context.Request.Headers["Authorization"], body, DateTime.UtcNow));
        var (status, response) = _responses.GetValueOrDefault(path, (200, null));
        context.Response.StatusCode = status;
        if (response is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(response));
        }

        context.Response.Close();
    }
}
