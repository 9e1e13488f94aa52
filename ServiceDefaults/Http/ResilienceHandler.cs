using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Warehouse.ServiceDefaults.Http;

/// <summary>
/// Timeouts on every outbound call and jittered retries only where repeating is safe (idempotent methods).
/// A small Polly.Core stand-in for Microsoft.Extensions.Http.Resilience's standard handler, missing from the feed.
/// </summary>
public sealed class ResilienceHandler : DelegatingHandler
{
    private static readonly HashSet<HttpMethod> Idempotent = [HttpMethod.Get, HttpMethod.Head, HttpMethod.Options, HttpMethod.Put, HttpMethod.Delete];

    private static readonly ResiliencePipeline<HttpResponseMessage> Retrying = Build(retry: true);
    private static readonly ResiliencePipeline<HttpResponseMessage> Single = Build(retry: false);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var pipeline = Idempotent.Contains(request.Method) ? Retrying : Single;
        return await pipeline.ExecuteAsync(async token => await base.SendAsync(request, token), cancellationToken);
    }

    private static ResiliencePipeline<HttpResponseMessage> Build(bool retry)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>().AddTimeout(TimeSpan.FromSeconds(20));
        if (retry)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500),
            });
        }

        return builder.AddTimeout(TimeSpan.FromSeconds(5)).Build();
    }
}
