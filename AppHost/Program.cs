using AppHost.Extensions;

var builder = DistributedApplication.CreateBuilder(args);

var jwtSigningKey = builder.AddParameter("jwt-signing-key", secret: true);

var postgres = builder.AddPostgres("postgres");
if (builder.ExecutionContext.IsRunMode)
{
    // Local data survives AppHost restarts; a deployment brings its own storage.
    postgres.WithDataVolume();
}
var warehousedb = postgres.AddDatabase("warehousedb");

// Aspire serves Redis over TLS with the dev certificate by default; redis_exporter here is configured for plain TCP.
#pragma warning disable ASPIRECERTIFICATES001
var redis = builder.AddRedis("redis").WithoutHttpsCertificate();
#pragma warning restore ASPIRECERTIFICATES001

var taskService = builder.AddService<Projects.TaskService>("taskservice", seedPort: 8001, jwtSigningKey)
    .WithReference(warehousedb).WaitFor(warehousedb)
    .WithReference(redis).WaitFor(redis);

var importService = builder.AddService<Projects.ImportService>("importservice", seedPort: 8003, jwtSigningKey)
    .WithReference(warehousedb).WaitFor(warehousedb)
    .WithReference(redis).WaitFor(redis);

var realtimeWorker = builder.AddService<Projects.RealtimeWorker>("realtimeworker", seedPort: 8004, jwtSigningKey)
    .WithReference(redis).WaitFor(redis);

var apiGateway = builder.AddService<Projects.ApiGateway>("apigateway", seedPort: 8000, jwtSigningKey)
    .WithExternalHttpEndpoints()
    .WithReference(taskService).WaitFor(taskService)
    .WithReference(importService).WaitFor(importService)
    .WithReference(realtimeWorker).WaitFor(realtimeWorker);

// The monitoring stack is dev-only: its config (monitoring/prometheus/prometheus.apphost.yml) probes the
// services on the Docker host's seed ports and it gets its secrets as container files, neither of which
// exists in Azure Container Apps. Deployed services get no collector, so no OTEL_EXPORTER_OTLP_ENDPOINT
// from us (the contract sets it only when a collector exists).
if (builder.ExecutionContext.IsRunMode)
{
    builder.AddMonitoring(postgres, redis, [apiGateway, taskService, importService, realtimeWorker]);
}

builder.Build().Run();
