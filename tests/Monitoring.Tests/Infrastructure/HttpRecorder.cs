using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Monitoring.Tests.Infrastructure;

public sealed record RecordedRequest(string Method, string Path, string? Authorization, string Body);

/// <summary>
/// An HTTP server on a free loopback port that records every request (the webhook, Slack and PagerDuty
/// endpoints Alertmanager notifies, a fake Grafana API) and answers what the test chose per path (default 200).
/// </summary>
public sealed class HttpRecorder : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, (int Status, string? Body)> _responses = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public HttpRecorder()
    {
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public IReadOnlyCollection<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>Answers requests to <paramref name="path"/> with <paramref name="statusCode"/> and an optional JSON body.</summary>
    public void Respond(string path, int statusCode, string? jsonBody = null) => _responses[path] = (statusCode, jsonBody);

    /// <summary>Waits until a recorded request satisfies <paramref name="match"/>; fails with what did arrive.</summary>
    public async Task<RecordedRequest> WaitForAsync(Func<RecordedRequest, bool> match, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = _requests.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                var seen = string.Join("\n", _requests.Select(r => $"{r.Method} {r.Path} {r.Body}"));
                throw new TimeoutException($"no request matched: {what}. Received:\n{seen}");
            }

            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(500) ? left : TimeSpan.FromMilliseconds(500));
        }
    }

    public void Dispose()
    {
        _listener.Close();
        _arrived.Dispose();
    }

    private async Task LoopAsync()
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

            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                var path = context.Request.Url!.AbsolutePath;
                _requests.Enqueue(new RecordedRequest(
                    context.Request.HttpMethod, path, context.Request.Headers["Authorization"], await reader.ReadToEndAsync()));
                var (status, body) = _responses.GetValueOrDefault(path, (200, null));
                context.Response.StatusCode = status;
                if (body is not null)
                {
                    context.Response.ContentType = "application/json";
                    await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body));
                }
            }

            context.Response.Close();
            try
            {
                _arrived.Release();
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }
}
