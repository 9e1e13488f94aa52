using AppHost.Extensions;
using AppHost.Infrastructure;
using AppHost.Operations;
using AppHost.Secrets;
using Warehouse.Contracts.Hosting;
using Warehouse.Contracts.Security;
using Warehouse.Hosting.Supervision;

var builder = DistributedApplication.CreateBuilder(args);

// Containers where a container runtime answers, else Debian's installed binaries (AppHost:Infrastructure).
var infrastructure = builder.AddInfrastructure();
var data = infrastructure.AddData("postgres", "warehousedb", "redis");
var (warehousedb, redis) = (data.Database, data.Redis);

var jwtSigningKey = builder.AddGeneratedSigningKey(SecretNames.JwtSigningKey);
var state = infrastructure.DataDirectory;
builder.AddResourceLogFiles(Path.Combine(state, "logs"));
// Self-healing: a resource that exits on its own is started again with backoff; the restarts reach Prometheus.
builder.AddResourceSupervisor(infrastructure.RestartCountsDirectory);

var taskService = builder.AddService<Projects.TaskService>("taskservice", seedPort: 8001, jwtSigningKey, state)
    .WithReference(warehousedb).WaitFor(warehousedb)
    .WithReference(redis).WaitFor(redis);

// Any copy runs any import: jobs and their files are in Postgres, claimed under a renewed lease (ImportService/Importing).
var importService = builder.AddService<Projects.ImportService>("importservice", seedPort: 8003, jwtSigningKey, state)
    .WithReference(warehousedb).WaitFor(warehousedb)
    .WithReference(redis).WaitFor(redis)
    // Imports copy rows into the tasks table and call next_warehouse_sequence. No reference: they never call taskservice.
    .WaitFor(taskService); // taskservice owns the tasks schema and applies its migrations before it is healthy

var realtimeWorker = builder.AddService<Projects.RealtimeWorker>("realtimeworker", seedPort: 8004, jwtSigningKey, state)
    .WithReference(redis).WaitFor(redis);

var apiGateway = builder.AddService<Projects.ApiGateway>("apigateway", seedPort: 8000, jwtSigningKey, state, managementSeedPort: 8100)
    // The one public port; its management port (health, metrics) stays internal.
    .Each(gateway => gateway
        .WithEndpoint("http", endpoint => endpoint.IsExternal = true)
        .WithInlineSocketCompletions()
        .WithTokenCommand(jwtSigningKey, JwtOptions.PlatformIssuer, JwtOptions.PlatformAudience))
    // Per-user rate limits shared by every gateway copy. No WaitFor: without Redis each gateway limits on its own.
    .WithReference(redis)
    // Every copy of each backend is a destination of its cluster. No WaitFor: the gateway reads its destinations from
    // the environment and needs none of them to start; until a backend is healthy its routes answer 502 problem
    // details, and the gateway starts beside the backends instead of after the slowest of them.
    .WithReference(taskService)
    .WithReference(importService)
    .WithReference(realtimeWorker);

// The monitoring stack watches this machine's platform; a deployment brings its own. Two Prometheus and an
// Alertmanager cluster unless AppHost:Monitoring:HighAvailability=false (AppHost/Monitoring/MonitoringTopology.cs).
if (builder.ExecutionContext.IsRunMode)
{
    data.AddMonitoring([.. apiGateway.Copies, .. taskService.Copies, .. importService.Copies, .. realtimeWorker.Copies]);
}

builder.Build().Run();
