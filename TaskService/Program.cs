using Warehouse.Data;
using Warehouse.TaskService.Apis;
using Warehouse.TaskService.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseAuthentication();
app.UseAuthorization();

app.MapOpenApi();
app.MapTasksApi();
app.MapScansApi();

await app.MigrateDatabaseAsync(typeof(Program).Assembly);
await app.RunAsync();

public partial class Program;
