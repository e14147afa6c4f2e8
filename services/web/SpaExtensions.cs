namespace Web;

/// <summary>The single-page app: static files from wwwroot (plain ES modules, no build step).</summary>
public static class SpaExtensions
{
    public static WebApplication UseSpaStaticFiles(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context =>
            {
                // Modules are loaded by URL without fingerprints: revalidate so a deployment is picked up at once.
                // CSP and the other browser headers: Edge/SecurityHeaders.cs, on every answer.
                context.Context.Response.Headers.CacheControl = "no-cache";
            },
        });
        return app;
    }
}
