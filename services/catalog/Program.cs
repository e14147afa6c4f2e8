using Catalog;
using Catalog.Api;
using Catalog.Infrastructure;
using DaprReservations.BuildingBlocks;
using DaprReservations.BuildingBlocks.OpenApi;
using DaprReservations.BuildingBlocks.Persistence;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDefaultOpenApi("Catalog API");
builder.AddServiceDatabase<CatalogDbContext, SqliteCatalogDbContext, SqlServerCatalogDbContext>("catalog");
builder.AddCatalog();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseDefaultOpenApi();
app.UseCloudEvents();
app.MapSubscribeHandler();
await app.MigrateDatabaseAsync<CatalogDbContext>();

app.MapCatalogReads();
app.MapCatalogAdmin();
app.MapSlotChangedSubscription();

await app.RunAsync();

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;
