using Warehouse.Hosting.Monitoring.Exporters;

namespace AppHost.Tests;

/// <summary>What every exporter is in either flavour's model.</summary>
internal static class ExporterModel
{
    public static readonly string[] Names = ["node-exporter", "postgres-exporter", "redis-exporter", "blackbox-exporter"];

    public static TheoryData<string> NameData => new(Names);

    /// <summary>
    /// An exporter resource whose one endpoint, "http", has a health check on <c>/metrics</c>, and whose command line
    /// holds no secret (the DSN and the Redis password are in its environment): returns its endpoint.
    /// </summary>
    public static async Task<EndpointAnnotation> AssertExporterAsync(IResource resource)
    {
        var exporter = Assert.IsAssignableFrom<IExporterResource>(resource);
        var endpoint = Assert.Single(resource.Annotations.OfType<EndpointAnnotation>());

        Assert.Equal(("http", "http"), (endpoint.Name, endpoint.UriScheme));
        Assert.Equal(endpoint.Name, exporter.PrimaryEndpoint.EndpointName);
        // Aspire keys an HTTP health check by resource, endpoint and path.
        Assert.Contains(resource.Annotations.OfType<HealthCheckAnnotation>(), check => check.Key.StartsWith($"{resource.Name}_http_/metrics_", StringComparison.Ordinal));
        // A parameter is written as {name.value} here, and every secret's name ends in "password".
        Assert.DoesNotContain(await AppModel.ArgumentsAsync(resource), argument => argument!.Contains("password", StringComparison.OrdinalIgnoreCase));
        return endpoint;
    }
}
