using Warehouse.Data;
using Warehouse.Faults;
using Warehouse.TaskService.Apis;
using Warehouse.TaskService.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseServiceDefaults();
app.UseFaultSwitches();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapTasksApi();
app.MapScansApi();

await app.MigrateDatabaseAsync(typeof(Program).Assembly);
await app.RunAsync();

public partial class Program;
