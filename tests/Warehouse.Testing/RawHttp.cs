using System.Net.Sockets;
using System.Text;

namespace Warehouse.Testing;

/// <summary>
/// One HTTP/1.1 GET written to the socket exactly as given: HttpClient normalises dot segments and escapes before
/// sending, which would hide the spellings a hostile client can use.
/// </summary>
public static class RawHttp
{
    public static async Task<(int Status, string Response)> GetAsync(Uri server, string rawPathAndQuery, string? token)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(server.Host, server.Port, timeout.Token);
        await using var stream = client.GetStream();
        var request = $"GET {rawPathAndQuery} HTTP/1.1\r\nHost: {server.Authority}\r\n"
            + (token is null ? "" : $"Authorization: Bearer {token}\r\n")
            + "Connection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync(timeout.Token);
        var statusLine = response.Split("\r\n", 2)[0];
        return (int.Parse(statusLine.Split(' ')[1]), response);
    }
}
