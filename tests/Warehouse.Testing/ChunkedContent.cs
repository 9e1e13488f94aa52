using System.Net;
using System.Net.Http.Headers;

namespace Warehouse.Testing;

/// <summary>
/// A body with no Content-Length, sent in 64 KiB chunks (HTTP/1.1 chunked transfer): a server cannot refuse it up
/// front by its declared size and must count while it streams.
/// </summary>
public sealed class ChunkedContent : HttpContent
{
    private readonly byte[] _body;

    public ChunkedContent(byte[] body, string contentType)
    {
        _body = body;
        Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        foreach (var chunk in _body.Chunk(64 * 1024))
        {
            await stream.WriteAsync(chunk);
            await stream.FlushAsync();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
