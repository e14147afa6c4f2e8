using DaprReservations.BuildingBlocks;
using DaprReservations.BuildingBlocks.OpenApi;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDefaultOpenApi("Reservation API");

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseDefaultOpenApi();
app.Run();
