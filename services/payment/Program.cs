using DaprReservations.BuildingBlocks;
using DaprReservations.BuildingBlocks.Messaging;
using DaprReservations.BuildingBlocks.OpenApi;
using DaprReservations.BuildingBlocks.Persistence;
using DaprReservations.BuildingBlocks.Security;
using Payment;
using Payment.Api;
using Payment.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDefaultOpenApi("Payment API");
builder.AddDefaultAuthentication();
builder.AddServiceDatabase<PaymentDbContext, SqlitePaymentDbContext, SqlServerPaymentDbContext>("payment");
builder.AddOutbox<PaymentDbContext>();
builder.AddPayment();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseDefaultOpenApi();
app.UseDaprPubSub();
app.UseDefaultAuthentication();
if (await app.MigrateDatabaseAsync<PaymentDbContext>())
    return; // --migrate-only (the deployment's migration Job)

app.MapPaymentSubscriptions();
app.MapPaymentEndpoints();

await app.RunAsync();

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;
