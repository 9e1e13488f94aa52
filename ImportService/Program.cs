using Warehouse.Data;
using Warehouse.ImportService.Apis;
using Warehouse.ImportService.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseAuthentication();
app.UseAuthorization();

app.MapOpenApi();
app.MapImportsApi();

await app.MigrateDatabaseAsync(typeof(Program).Assembly);
await app.RunAsync();

public partial class Program;
