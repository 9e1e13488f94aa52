namespace AppHost.Services;

/// <summary>Which service a resource is a copy of: its Prometheus job and its blackbox probes' <c>service</c> label.</summary>
internal sealed record ServiceCopyAnnotation(string Service) : IResourceAnnotation;
