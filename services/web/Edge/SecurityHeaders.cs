using DaprReservations.BuildingBlocks.Security;
using Microsoft.Extensions.Options;

namespace Web.Edge;

/// <summary>
/// The browser-facing headers on every answer of the web app (pages, static files, API answers, errors): no sniffing,
/// no framing, no referrer leaks, scripts only from this origin; HSTS outside Development (TLS ends at the ingress,
/// which redirects HTTP to HTTPS).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Scripts and calls to this origin only (the browser never talks to the provider's APIs: the server does). The
    /// sign-out form's redirects lead through the provider's end-session page, which form-action must allow.
    /// </summary>
    public static string ContentSecurityPolicy(string? authority) =>
        "default-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; " +
        $"form-action 'self'{(Uri.TryCreate(authority, UriKind.Absolute, out var uri) ? " " + uri.GetLeftPart(UriPartial.Authority) : "")}; object-src 'none'";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        var development = app.Environment.IsDevelopment();
        var policy = ContentSecurityPolicy(app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.Authority);
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
                // Swagger UI (Development only) runs inline scripts; everything else gets the strict policy.
                if (!(development && context.Request.Path.StartsWithSegments("/swagger")))
                    headers.ContentSecurityPolicy = policy;
                if (!development)
                    headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
