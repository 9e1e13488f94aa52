using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Warehouse.Testing;

/// <summary>
/// A SignalR client speaking the documented JSON hub protocol over a WebSocket: the .NET SignalR client package is
/// missing from the package feed. Handshake, invocations with completions, and incoming invocations as messages.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';

    private readonly WebSocket _socket;
    private readonly Channel<HubMessage> _messages = Channel.CreateUnbounded<HubMessage>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    private HubClient(WebSocket socket) => _socket = socket;

    /// <summary>Set when the server closes the connection (a close message or the socket closing).</summary>
    public TaskCompletionSource<string?> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<HubClient> ConnectAsync(WebSocket socket, CancellationToken ct = default)
    {
        var client = new HubClient(socket);
        await client.SendAsync("""{"protocol":"json","version":1}""", ct);
        var handshake = await client.ReceiveFrameAsync(ct) ?? throw new InvalidOperationException("The hub closed during the handshake.");
        using var response = JsonDocument.Parse(handshake.Split(RecordSeparator)[0]);
        if (response.RootElement.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"Handshake refused: {error.GetString()}");
        }

        client._receiving = Task.Run(client.ReceiveLoopAsync);
        return client;
    }

    /// <summary>Calls a hub method and waits for its completion; a hub error becomes an exception.</summary>
    public async Task<JsonElement> InvokeAsync(string method, params object?[] arguments)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        await SendAsync(JsonSerializer.Serialize(new { type = 1, invocationId = id, target = method, arguments }), CancellationToken.None);
        return await completion.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Waits for the next server-to-client invocation of <paramref name="target"/> that matches.</summary>
    public async Task<JsonElement> WaitForAsync(string target, Func<JsonElement, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var message = await _messages.Reader.ReadAsync(cts.Token);
                if (message.Target == target && match(message.Argument))
                {
                    return message.Argument;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No '{target}' message matched within {timeout}.");
        }
    }

    /// <summary>Every message received so far, without waiting.</summary>
    public IReadOnlyList<HubMessage> Drain()
    {
        var drained = new List<HubMessage>();
        while (_messages.Reader.TryRead(out var message))
        {
            drained.Add(message);
        }

        return drained;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException or OperationCanceledException)
            {
                // The server may already be gone; the socket is disposed below either way.
            }
        }

        await _receiving.ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (await ReceiveFrameAsync(_stop.Token) is { } frame)
            {
                foreach (var record in frame.Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries))
                {
                    Dispatch(record);
                }
            }

            Closed.TrySetResult(null);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            Closed.TrySetResult(ex.Message);
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }

    private void Dispatch(string record)
    {
        using var document = JsonDocument.Parse(record);
        var root = document.RootElement;
        switch (root.GetProperty("type").GetInt32())
        {
            case 1:
                var arguments = root.GetProperty("arguments");
                _messages.Writer.TryWrite(new HubMessage(root.GetProperty("target").GetString()!, arguments.GetArrayLength() > 0 ? arguments[0].Clone() : default));
                break;
            case 3 when _pending.TryRemove(root.GetProperty("invocationId").GetString()!, out var completion):
                if (root.TryGetProperty("error", out var error))
                {
                    completion.TrySetException(new InvalidOperationException(error.GetString()));
                }
                else
                {
                    completion.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
                }

                break;
            case 7:
                Closed.TrySetResult(root.TryGetProperty("error", out var reason) ? reason.GetString() : null);
                break;
        }
    }

    private Task SendAsync(string json, CancellationToken ct) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, endOfMessage: true, ct);

    private async Task<string?> ReceiveFrameAsync(CancellationToken ct)
    {
        var buffer = new byte[8192];
        using var frame = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            frame.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(frame.ToArray());
            }
        }
    }
}

public sealed record HubMessage(string Target, JsonElement Argument);
