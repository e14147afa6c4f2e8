namespace DevIdentity;

/// <summary>
/// Response headers for every page and response. The pages have no script at all, so the policy allows none; the
/// form targets are this origin plus the web client's origins, because browsers also check <c>form-action</c> against
/// the redirects that follow a form post (login → /connect/authorize → the web app's /signin-oidc).
/// </summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var settings = app.ApplicationServices.GetRequiredService<IdentitySettings>();
        var formTargets = string.Join(' ', settings.WebBaseUrls.Select(u => u.GetLeftPart(UriPartial.Authority)).Distinct());
        var policy = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'; " +
                     $"form-action 'self' {formTargets}";
        return app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = policy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            await next(context);
        });
    }
}
