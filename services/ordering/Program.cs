using DaprReservations.BuildingBlocks;
using DaprReservations.BuildingBlocks.Messaging;
using DaprReservations.BuildingBlocks.OpenApi;
using DaprReservations.BuildingBlocks.Persistence;
using DaprReservations.BuildingBlocks.Security;
using Ordering;
using Ordering.Api;
using Ordering.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDefaultOpenApi("Ordering API");
builder.AddOrdering();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseDefaultOpenApi();
app.UseDefaultAuthentication();
app.UseDaprPubSub();
if (await app.MigrateDatabaseAsync<OrderingDbContext>())
    return; // --migrate-only (the deployment's migration Job)

app.MapOrderEndpoints();
app.MapPaymentEventSubscriptions();
await app.RunAsync();

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;
