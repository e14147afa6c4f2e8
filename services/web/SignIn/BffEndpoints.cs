using DaprReservations.BuildingBlocks.OpenApi;
using DaprReservations.BuildingBlocks.Problems;
using DaprReservations.BuildingBlocks.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Web.SignIn;

/// <summary>
/// Sign-in for the single-page app: <c>GET /bff/login</c> starts the code flow, <c>GET /bff/user</c> says who is
/// signed in (never a token) and hands out the antiforgery request token, <c>POST /bff/logout</c> ends the session
/// on the server and at the provider.
/// </summary>
public static class BffEndpoints
{
    public const string LoginPath = "/bff/login";
    public const string UserPath = "/bff/user";
    public const string LogoutPath = "/bff/logout";

    public static WebApplication MapBffEndpoints(this WebApplication app)
    {
        var bff = app.MapGroup("").WithTags("sign-in").RequireRateLimiting(Edge.EdgeRateLimiting.PolicyName);
        bff.MapGet(LoginPath, LoginAsync)
            .WithName("SignIn")
            .WithSummary("Starts the OpenID Connect sign-in and comes back to returnUrl (a path of this site).")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status503ServiceUnavailable);
        bff.MapGet(UserPath, User)
            .WithName("WhoAmI")
            .WithSummary("Who is signed in, and the antiforgery token to send as X-CSRF-TOKEN on state-changing calls.");
        bff.MapPost(LogoutPath, LogoutAsync)
            .WithName("SignOut")
            .WithSummary("Ends the session (antiforgery token as form field or X-CSRF-TOKEN header), then signs out at the provider.")
            .DisableAntiforgery() // validated below, from the form or the header, with a problem document
            .ProducesProblems(StatusCodes.Status400BadRequest);
        return app;
    }

    /// <summary>A path of this site: one leading slash, no scheme, no host, no backslash or control character.</summary>
    public static bool IsLocalUrl(string? url) =>
        url is { Length: > 0 and <= 2048 }
        && url[0] == '/'
        && (url.Length == 1 || url[1] is not ('/' or '\\'))
        && !url.Any(c => char.IsControl(c) || c == '\\');

    private static async Task<Results<ChallengeHttpResult, RedirectHttpResult, ValidationProblem, RetryAfterProblemResult>> LoginAsync(
        HttpContext http, IOptionsMonitor<OpenIdConnectOptions> oidc, string? returnUrl)
    {
        var target = string.IsNullOrEmpty(returnUrl) ? "/" : returnUrl;
        if (!IsLocalUrl(target))
            return ApiProblems.Validation("returnUrl", "Must be a path of this site, starting with a single '/'.");
        if (IsSession(http))
            return TypedResults.LocalRedirect(target);
        if (!await ProviderReadyAsync(oidc.Get(OpenIdConnectDefaults.AuthenticationScheme), http.RequestAborted))
            return ApiProblems.ServiceUnavailable(ProviderRetryAfter, "The sign-in provider cannot be reached; try again shortly.");
        return TypedResults.Challenge(new AuthenticationProperties { RedirectUri = target }, [OpenIdConnectDefaults.AuthenticationScheme]);
    }

    private static Ok<SessionInfo> User(HttpContext http, IAntiforgery antiforgery)
    {
        http.Response.Headers.CacheControl = "no-store";
        var tokens = antiforgery.GetAndStoreTokens(http);
        var user = http.User;
        var signedIn = user.Identity?.IsAuthenticated == true;
        return TypedResults.Ok(new SessionInfo(
            signedIn,
            signedIn ? user.FindFirst(ClaimNames.Subject)?.Value : null,
            signedIn ? user.Identity!.Name : null,
            signedIn ? [.. user.FindAll(ClaimNames.Roles).Select(c => c.Value).Distinct()] : [],
            tokens.RequestToken!));
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, IAntiforgery antiforgery, SessionTokens tokens)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
            return BffProblems.AntiforgeryMissing();
        var session = await http.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (!session.Succeeded)
            return TypedResults.LocalRedirect("/");

        await tokens.RevokeAsync(session.Properties!, http.RequestAborted);
        // Cookie first (the session record becomes a tombstone), then the provider: its end-session redirect carries
        // the ID token hint read from this request's session.
        return TypedResults.SignOut(new AuthenticationProperties { RedirectUri = "/" },
            [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]);
    }

    /// <summary>
    /// The challenge needs the provider's discovery document (its authorization endpoint); unreachable or unusable,
    /// that is an outage to answer with 503 + Retry-After, not a 500 from inside the handler.
    /// </summary>
    private static async Task<bool> ProviderReadyAsync(OpenIdConnectOptions options, CancellationToken cancellationToken) =>
        await AuthorityConfiguration.TryGetAsync(options.ConfigurationManager!, cancellationToken) is { AuthorizationEndpoint.Length: > 0 };

    private static readonly TimeSpan ProviderRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>Signed in by the session cookie (a request with its own Authorization header is a script's).</summary>
    private static bool IsSession(HttpContext http) =>
        http.Request.Headers.Authorization.Count == 0 && http.User.Identity?.IsAuthenticated == true;
}

/// <summary>Who is signed in, as the single-page app needs it; no token but the antiforgery request token.</summary>
public sealed record SessionInfo(bool SignedIn, string? Sub, string? Name, string[] Roles, string AntiforgeryToken);

internal static class BffProblems
{
    public static ProblemHttpResult AntiforgeryMissing() => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "Antiforgery token missing or invalid",
        detail: $"A signed-in browser's state-changing call needs the {SignInExtensions.AntiforgeryHeader} header from GET {BffEndpoints.UserPath}.");
}
