using Warehouse.Faults;
using Warehouse.RealtimeWorker.Extensions;
using Warehouse.RealtimeWorker.Hubs;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseServiceDefaults();
app.UseFaultSwitches();
app.UseAuthentication();
app.UseAuthorization();
app.UseWebSockets();

app.MapDefaultEndpoints();
app.MapHub<TasksHub>(TasksHub.Path);

await app.RunAsync();

public partial class Program;
