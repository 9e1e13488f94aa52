using Warehouse.AlertInbox.Apis;
using Warehouse.AlertInbox.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseServiceDefaults();

app.MapDefaultEndpoints();
app.MapDeliveriesApi();

await app.RunAsync();
