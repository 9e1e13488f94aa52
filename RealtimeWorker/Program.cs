using Warehouse.RealtimeWorker.Extensions;
using Warehouse.RealtimeWorker.Hubs;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseAuthentication();
app.UseAuthorization();
app.UseWebSockets();

app.MapHub<TasksHub>(TasksHub.Path);

await app.RunAsync();

public partial class Program;
