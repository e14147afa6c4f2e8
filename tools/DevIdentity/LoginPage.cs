using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace DevIdentity;

/// <summary>
/// The provider's own sign-in: a plain server-rendered page (no script) listing the demo users, plus a field for any
/// valid name. There is no password: this provider only exists for local runs and tests. Signing in sets the
/// provider's login cookie and returns to the (local) ReturnUrl, normally /connect/authorize.
/// </summary>
public static class LoginPage
{
    public const string Path = "/account/login";
    public const string StylesheetPath = "/account/login.css";

    public static void MapLoginPage(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, (HttpContext context, IdentitySettings settings, IAntiforgery antiforgery, string? returnUrl) =>
            IsLocalUrl(returnUrl ?? "/")
                ? Page(context, settings, antiforgery, returnUrl ?? "/", error: null, StatusCodes.Status200OK)
                : Results.BadRequest("ReturnUrl must be a local path."));
        app.MapPost(Path, SignInAsync).DisableAntiforgery(); // validated explicitly below, before anything else
        app.MapGet(StylesheetPath, () => Results.Text(Stylesheet, "text/css; charset=utf-8"));
        app.MapGet("/", (HttpContext context) => Html(context, "DevIdentity", $"""
            <h1>DevIdentity</h1>
            <p>The local OpenID Connect provider of DaprReservations (Entra ID plays this role on Azure).</p>
            <p>{(context.User.Identity?.IsAuthenticated == true
                ? "Signed in as " + WebUtility.HtmlEncode(context.User.FindFirstValue(Claims.Name))
                : "Not signed in")}.</p>
            <p><a href="/.well-known/openid-configuration">Discovery document</a></p>
            """, StatusCodes.Status200OK));
    }

    private static async Task<IResult> SignInAsync(HttpContext context, IdentitySettings settings, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
            return Results.BadRequest("The antiforgery token is missing or invalid; reload the sign-in page.");
        var form = await context.Request.ReadFormAsync();
        var returnUrl = form["ReturnUrl"].ToString() is { Length: > 0 } url ? url : "/";
        if (!IsLocalUrl(returnUrl))
            return Results.BadRequest("ReturnUrl must be a local path.");
        var name = form["username"].ToString().Trim();
        if (!IdentitySettings.IsValidName(name))
        {
            var error = "Enter a name of 2 to 32 characters: lowercase letters, digits or hyphens, starting with a letter.";
            return Page(context, settings, antiforgery, returnUrl, error, StatusCodes.Status400BadRequest);
        }

        // The provider's own session; the tokens' claims are made later, at /connect/authorize.
        var identity = new ClaimsIdentity(ConnectEndpoints.LoginScheme, Claims.Name, DemoUsers.RolesClaim);
        identity.AddClaim(new Claim(Claims.Subject, name));
        identity.AddClaim(new Claim(Claims.Name, IdentitySettings.DisplayName(name)));
        await context.SignInAsync(ConnectEndpoints.LoginScheme, new ClaimsPrincipal(identity));
        return Results.LocalRedirect(returnUrl);
    }

    /// <summary>
    /// Local means one leading slash and nothing that a browser reads as another host (<c>//evil</c>, <c>/\evil</c>)
    /// — the same rule as ASP.NET Core's <c>Url.IsLocalUrl</c>.
    /// </summary>
    public static bool IsLocalUrl(string url) =>
        url.Length > 0 && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl);

    /// <summary>
    /// The user-name rule for the browser's own check (HTML patterns compile with the <c>v</c> flag, where a literal
    /// <c>-</c> in a class must be escaped). A constant: inside the interpolated page text, <c>{1,31}</c> would be read
    /// as an interpolation (seen: the field refused every name).
    /// </summary>
    private const string HtmlNamePattern = "[a-z][a-z0-9\\-]{1,31}";

    private static IResult Page(
        HttpContext context, IdentitySettings settings, IAntiforgery antiforgery, string returnUrl, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var hidden = $"""
            <input type="hidden" name="{tokens.FormFieldName}" value="{WebUtility.HtmlEncode(tokens.RequestToken)}">
            <input type="hidden" name="ReturnUrl" value="{WebUtility.HtmlEncode(returnUrl)}">
            """;
        var buttons = new StringBuilder();
        foreach (var user in settings.DemoCustomers.Append(IdentitySettings.AdminName))
        {
            var label = user == IdentitySettings.AdminName ? "Admin (role admin)" : IdentitySettings.DisplayName(user);
            buttons.Append($"""<li><button type="submit" name="username" value="{user}" data-testid="login-{user}">{WebUtility.HtmlEncode(label)}</button></li>""");
        }
        var alert = error is null ? "" : $"""<p class="error" role="alert" id="login-error">{WebUtility.HtmlEncode(error)}</p>""";
        var body = $"""
            <h1>Sign in</h1>
            <p>Local development sign-in for DaprReservations. There are no passwords: choose a demo user.</p>
            {alert}
            <form method="post" action="{Path}" aria-labelledby="demo-users">
              {hidden}
              <h2 id="demo-users">Demo users</h2>
              <ul class="users">{buttons}</ul>
            </form>
            <form method="post" action="{Path}" aria-labelledby="other-user">
              {hidden}
              <h2 id="other-user">Another name</h2>
              <label for="username">User name</label>
              <input id="username" name="username" type="text" required autocomplete="username"
                     pattern="{HtmlNamePattern}" aria-describedby="username-hint"{(error is null ? "" : " aria-invalid=\"true\"")}
                     data-testid="login-name">
              <p id="username-hint" class="hint">2 to 32 characters: lowercase letters, digits or hyphens, starting with a letter.</p>
              <button type="submit" data-testid="login-submit">Sign in</button>
            </form>
            """;
        return Html(context, "Sign in – DevIdentity", body, status);
    }

    private static IResult Html(HttpContext context, string title, string body, int status)
    {
        // No inline script or style anywhere: the stylesheet is same-origin and nothing else may load.
        context.Response.Headers.CacheControl = "no-store";
        return Results.Content($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{WebUtility.HtmlEncode(title)}</title>
            <link rel="stylesheet" href="{StylesheetPath}">
            </head>
            <body>
            <main>
            {body}
            </main>
            </body>
            </html>
            """, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private const string Stylesheet = """
        body { font-family: system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1b1f24; }
        main { max-width: 28rem; margin: 3rem auto; padding: 1.5rem 2rem; background: #fff; border-radius: .5rem;
               box-shadow: 0 1px 3px rgb(0 0 0 / .15); }
        h1 { font-size: 1.5rem; } h2 { font-size: 1.1rem; margin-top: 1.5rem; }
        .users { list-style: none; padding: 0; display: grid; gap: .5rem; }
        button { font: inherit; padding: .5rem 1rem; border: 1px solid #0b5cad; border-radius: .25rem;
                 background: #0b5cad; color: #fff; cursor: pointer; width: 100%; }
        button:focus-visible, input:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
        label { display: block; font-weight: 600; margin-bottom: .25rem; }
        input[type=text] { font: inherit; padding: .5rem; width: 100%; box-sizing: border-box; margin-bottom: .25rem; }
        .hint { font-size: .875rem; color: #4a5360; margin-top: 0; }
        .error { color: #a1001d; font-weight: 600; }
        """;
}
