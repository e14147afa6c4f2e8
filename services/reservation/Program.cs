using DaprReservations.BuildingBlocks;
using DaprReservations.BuildingBlocks.Messaging;
using DaprReservations.BuildingBlocks.OpenApi;
using DaprReservations.BuildingBlocks.Security;
using DaprReservations.BuildingBlocks.Persistence;
using Reservation;
using Reservation.Api;
using Reservation.Infrastructure.Ledger;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDefaultOpenApi("Reservation API");
builder.AddReservation();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseDefaultOpenApi();
app.UseDefaultAuthentication();
app.UseDaprPubSub();
if (await app.MigrateDatabaseAsync<ReservationDbContext>())
    return; // --migrate-only (the deployment's migration Job)

app.MapHoldEndpoints();
app.MapSlotEndpoints();
app.MapOrderClosedSubscription();
app.MapReservationActors();
app.Run();
