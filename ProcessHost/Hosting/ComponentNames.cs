namespace Warehouse.ProcessHost.Hosting;

/// <summary>Component names: Aspire resource names; exporters use the "-exporter" resource names.</summary>
public static class ComponentNames
{
    public const string Postgres = "postgres";
    public const string Redis = "redis";
    public const string NodeExporter = "node-exporter";
    public const string PostgresExporter = "postgres-exporter";
    public const string RedisExporter = "redis-exporter";
    public const string BlackboxExporter = "blackbox-exporter";
    public const string Alertmanager = "alertmanager";
    public const string Prometheus = "prometheus";
    public const string TaskService = "taskservice";
    public const string ImportService = "importservice";
    public const string RealtimeWorker = "realtimeworker";
    public const string ApiGateway = "apigateway";

    public static readonly IReadOnlyList<string> Services = [TaskService, ImportService, RealtimeWorker, ApiGateway];

    public static readonly IReadOnlyList<string> All =
    [
        Postgres, Redis, NodeExporter, PostgresExporter, RedisExporter, BlackboxExporter,
        Alertmanager, Prometheus, TaskService, ImportService, RealtimeWorker, ApiGateway,
    ];

    /// <summary>The service's project folder/assembly name.</summary>
    public static string ProjectOf(string service) => service switch
    {
        ApiGateway => "ApiGateway",
        TaskService => "TaskService",
        ImportService => "ImportService",
        RealtimeWorker => "RealtimeWorker",
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, "not a service"),
    };
}
