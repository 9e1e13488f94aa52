using System.Net.Http.Headers;
using System.Text.Json;

namespace Warehouse.Testing;

/// <summary>Prometheus's and Alertmanager's HTTP APIs, with the platform's basic auth.</summary>
public sealed class MonitoringClient(string prometheusUrl, string alertmanagerUrl, string authorization) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>Instant query; returns the result vector.</summary>
    public async Task<JsonElement[]> QueryAsync(string promql)
    {
        var body = await GetAsync($"{prometheusUrl}/api/v1/query?query={Uri.EscapeDataString(promql)}");
        var data = body.GetProperty("data");
        return data.GetProperty("resultType").GetString() switch
        {
            "vector" or "matrix" => data.GetProperty("result").EnumerateArray().ToArray(),
            _ => [data.GetProperty("result")],
        };
    }

    /// <summary>The value of the first series an instant query returns, or null when it returns none.</summary>
    public async Task<string?> ScalarAsync(string promql) =>
        (await QueryAsync(promql)).Select(r => r.GetProperty("value")[1].GetString()).FirstOrDefault();

    /// <summary>Alerts Prometheus holds in the given state ("pending" or "firing").</summary>
    public async Task<JsonElement[]> PrometheusAlertsAsync(string alertname, string state = "firing") =>
        (await GetAsync($"{prometheusUrl}/api/v1/alerts")).GetProperty("data").GetProperty("alerts").EnumerateArray()
            .Where(a => a.GetProperty("labels").GetProperty("alertname").GetString() == alertname && a.GetProperty("state").GetString() == state)
            .ToArray();

    /// <summary>Alerts Alertmanager holds (all of them, or one alert's), with their status (active, suppressed and inhibitedBy).</summary>
    public async Task<JsonElement[]> AlertmanagerAlertsAsync(string? alertname = null) =>
        (await GetAsync(alertname is null
            ? $"{alertmanagerUrl}/api/v2/alerts"
            : $"{alertmanagerUrl}/api/v2/alerts?filter={Uri.EscapeDataString($"alertname=\"{alertname}\"")}")).EnumerateArray().ToArray();

    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> GetAsync(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} from {url}: {text}", null, response.StatusCode);
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
