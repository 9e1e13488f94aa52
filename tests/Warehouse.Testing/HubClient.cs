using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;

namespace Warehouse.Testing;

/// <summary>
/// The official SignalR client, connected over WebSockets with the token in the query string (as handhelds and
/// browsers send it), recording every server-to-client message so tests can wait for the one they expect.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    private static readonly string[] ClientMethods = ["notification"];

    private readonly HubConnection _connection;
    private readonly Channel<HubMessage> _messages = Channel.CreateUnbounded<HubMessage>();

    private HubClient(HubConnection connection)
    {
        _connection = connection;
        foreach (var method in ClientMethods)
        {
            connection.On<JsonElement>(method, argument => _messages.Writer.TryWrite(new HubMessage(method, argument)));
        }
    }

    /// <summary>Connects to a hub at <paramref name="hubUrl"/> (http or https); a refused connection throws.</summary>
    public static Task<HubClient> ConnectAsync(string hubUrl, string token, CancellationToken ct = default) =>
        StartAsync(Builder(hubUrl, token, _ => { }), ct);

    /// <summary>Connects to a hub hosted by an in-memory test server.</summary>
    public static Task<HubClient> ConnectAsync(TestServer server, string hubPath, string token, CancellationToken ct = default) =>
        StartAsync(Builder(new Uri(server.BaseAddress, hubPath).ToString(), token, options =>
            options.WebSocketFactory = async (context, cancel) => await server.CreateWebSocketClient().ConnectAsync(context.Uri, cancel)), ct);

    /// <summary>Calls a hub method and waits for its completion; a hub error throws <see cref="HubException"/>.</summary>
    public Task InvokeAsync(string method, params object?[] arguments) =>
        _connection.InvokeCoreAsync(method, arguments).WaitAsync(TimeSpan.FromSeconds(10));

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

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private static IHubConnectionBuilder Builder(string hubUrl, string token, Action<HttpConnectionOptions> configure) =>
        new HubConnectionBuilder().WithUrl($"{hubUrl}?access_token={Uri.EscapeDataString(token)}", options =>
        {
            options.Transports = HttpTransportType.WebSockets;
            options.SkipNegotiation = true;
            configure(options);
        });

    private static async Task<HubClient> StartAsync(IHubConnectionBuilder builder, CancellationToken ct)
    {
        var client = new HubClient(builder.Build());
        try
        {
            await client._connection.StartAsync(ct);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }
}

public sealed record HubMessage(string Target, JsonElement Argument);
