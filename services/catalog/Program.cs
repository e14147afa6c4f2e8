using Catalog;
using Catalog.Api;
using Catalog.Infrastructure;
using DaprReservations.BuildingBlocks;
using DaprReservations.BuildingBlocks.OpenApi;
using DaprReservations.BuildingBlocks.Persistence;
using DaprReservations.BuildingBlocks.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDefaultOpenApi("Catalog API");
builder.AddServiceDatabase<CatalogDbContext, SqliteCatalogDbContext, SqlServerCatalogDbContext>("catalog");
builder.AddCatalog();
builder.AddDefaultAuthentication();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseDefaultOpenApi();
app.UseDefaultAuthentication();
app.UseCloudEvents();
app.MapSubscribeHandler();
if (await app.MigrateDatabaseAsync<CatalogDbContext>())
    return; // --migrate-only (the deployment's migration Job)

app.MapCatalogReads();
app.MapCatalogAdmin();
app.MapSlotChangedSubscription();

await app.RunAsync();

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;
