using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Warehouse.Testing;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// A minimal SMTP server on a free loopback port (no TLS, no AUTH advertised) that keeps every message it
/// receives, so a test can read the email Alertmanager sends.
/// </summary>
public sealed class FakeSmtpServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly ConcurrentQueue<string> _messages = new();

    public FakeSmtpServer()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public IReadOnlyCollection<string> Messages => _messages.ToArray();

    /// <summary>Waits until a received message satisfies <paramref name="match"/>; fails listing what did arrive.</summary>
    public Task<string> WaitForAsync(Func<string, bool> match, TimeSpan timeout, string what) =>
        Eventually.FoundAsync(
            () => _messages.FirstOrDefault(match),
            timeout,
            () => $"no email matched: {what}. Received {_messages.Count}:\n{string.Join("\n----\n", _messages)}");

    public void Dispose() => _listener.Stop();

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 fake-smtp ready");
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-fake-smtp");
                    await writer.WriteLineAsync("250 8BITMIME");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                    var message = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                    {
                        message.AppendLine(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine);
                    }

                    _messages.Enqueue(message.ToString());
                    await writer.WriteLineAsync("250 queued");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 bye");
                    return;
                default: // HELO, MAIL, RCPT, RSET, NOOP
                    await writer.WriteLineAsync("250 ok");
                    break;
            }
        }
    }
}
