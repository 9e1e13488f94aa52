using System.Collections.Concurrent;
using System.Net;
using Warehouse.ProcessHost.Hosting;

namespace Warehouse.EndToEnd.Tests;

/// <summary>
/// A real HTTP endpoint that Alertmanager delivers to: it stands where Slack and the alert relay would be,
/// records every notification and lets a test wait for one.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<Delivery> _deliveries = new();
    private readonly Task _loop;

    public WebhookReceiver()
    {
        Port = PlatformPorts.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ListenAsync);
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}/{path.TrimStart('/')}";

    public async Task<Delivery> WaitForAsync(Func<Delivery, bool> match, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_deliveries.FirstOrDefault(match) is { } delivery)
            {
                return delivery;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"No notification {what} within {timeout}. Received: {string.Join(" | ", _deliveries.Select(d => d.Path + " " + d.Body[..Math.Min(200, d.Body.Length)]))}");
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
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
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            _deliveries.Enqueue(new Delivery(context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"], body, DateTime.UtcNow));
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }
}

public sealed record Delivery(string Path, string? Authorization, string Body, DateTime ReceivedAt);
