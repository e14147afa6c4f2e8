using DaprReservations.BuildingBlocks;
using DaprReservations.BuildingBlocks.OpenApi;
using DaprReservations.BuildingBlocks.Security;
using Web;
using Web.Edge;
using Web.SignIn;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDefaultOpenApi("Web API");
builder.AddDefaultAuthentication();
builder.AddBffSignIn();
builder.Services.AddExceptionHandler<SessionStoreUnavailable>();
builder.AddIngressHeaders();
builder.AddEdgeRateLimiting();
builder.AddEdgeProxy();

var app = builder.Build();
app.UseIngressHeaders();
app.UseSecurityHeaders();
app.MapDefaultEndpoints();
app.UseDefaultOpenApi();
app.UseDefaultAuthentication();
app.UseRateLimiter();
app.UseSpaStaticFiles();

app.MapBffEndpoints();
app.MapEdgeProxy();

await app.RunAsync();

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;
