using DaprReservations.BuildingBlocks;
using DaprReservations.BuildingBlocks.OpenApi;
using DaprReservations.BuildingBlocks.Security;
using Web;
using Web.Proxy;
using Web.SignIn;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDefaultOpenApi("Web API");
builder.AddDefaultAuthentication();
builder.AddSpa();
builder.AddSidecarProxy();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseDefaultOpenApi();
app.UseDefaultAuthentication();
app.UseSpaStaticFiles();

app.MapSpaConfig();
app.MapDevTokenIssuer();
app.MapSidecarProxy();

await app.RunAsync();

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;
