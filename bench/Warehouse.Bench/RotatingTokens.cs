using System.Net.Http.Headers;

namespace Warehouse.Bench;

/// <summary>Sets each request's bearer token to the next of <paramref name="tokens"/>, round robin across all connections.</summary>
public sealed class RotatingTokens(IReadOnlyList<string> tokens) : DelegatingHandler
{
    private int _next = -1;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var index = (int)((uint)Interlocked.Increment(ref _next) % (uint)tokens.Count);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[index]);
        return base.SendAsync(request, cancellationToken);
    }
}
