namespace Warehouse.Testing;

/// <summary>The platform's services: their resource names, Prometheus jobs and OTEL_SERVICE_NAMEs.</summary>
public static class ServiceNames
{
    public static readonly IReadOnlyList<string> All = ["apigateway", "taskservice", "importservice", "realtimeworker"];
}
