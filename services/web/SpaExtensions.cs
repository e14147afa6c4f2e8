using DaprReservations.BuildingBlocks.OpenApi;
using DaprReservations.BuildingBlocks.Security;
using Microsoft.Extensions.Options;
using Web.SignIn;

namespace Web;

/// <summary>The single-page app: static files from wwwroot (plain ES modules, no build step) and its start-up config.</summary>
public static class SpaExtensions
{
    public static WebApplicationBuilder AddSpa(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SpaOptions>().BindConfiguration(SpaOptions.SectionName);
        return builder;
    }

    public static WebApplication UseSpaStaticFiles(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                // Modules are loaded by URL without fingerprints: revalidate so a deployment is picked up at once.
                // CSP and the other browser headers: Edge/SecurityHeaders.cs, on every answer.
                headers.CacheControl = "no-cache";
            },
        });
        return app;
    }

    /// <summary>
    /// <c>GET /config</c>: how the SPA signs in. <c>dev</c> when this app holds the development key (it then issues
    /// tokens at <c>/dev/token</c>), otherwise <c>entra</c> with the MSAL settings of section <c>Spa:Entra</c>.
    /// </summary>
    public static WebApplication MapSpaConfig(this WebApplication app)
    {
        app.MapGet("/config", (IOptions<SpaOptions> spa, IOptions<AuthOptions> auth) =>
            {
                var dev = DevTokenEndpoints.IsEnabled(auth.Value);
                return TypedResults.Ok(new SpaConfig(
                    SignIn: dev ? "dev" : "entra",
                    DemoCustomers: dev ? spa.Value.DemoCustomers : [],
                    AdminUser: dev ? DevTokenEndpoints.AdminUser : null,
                    Entra: dev ? null : spa.Value.Entra));
            })
            .WithTags("spa")
            .WithName("GetSpaConfig")
            .ProducesDefaultProblems();
        return app;
    }
}

public sealed record SpaConfig(string SignIn, string[] DemoCustomers, string? AdminUser, EntraSignIn? Entra);
