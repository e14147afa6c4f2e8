using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace DevIdentity;

/// <summary>
/// The passthrough halves of OpenIddict's endpoints: OpenIddict has already validated each request (client,
/// redirect_uri, PKCE, scopes, permissions) before these run; they only decide who the user is and what the tokens say.
/// </summary>
public static class ConnectEndpoints
{
    public const string LoginScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    private const string Server = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public static void MapConnectEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], (Delegate)AuthorizeAsync);
        app.MapPost("/connect/token", TokenAsync);
        app.MapMethods("/connect/endsession", [HttpMethods.Get, HttpMethods.Post], (Delegate)EndSessionAsync);
        app.MapMethods("/connect/userinfo", [HttpMethods.Get, HttpMethods.Post], (Delegate)UserInfoAsync);
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext context, IdentitySettings settings)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("OpenIddict did not handle the authorization request.");
        var login = await context.AuthenticateAsync(LoginScheme);
        var forceLogin = request.HasPromptValue(PromptValues.Login);
        if (!login.Succeeded || forceLogin)
        {
            if (request.HasPromptValue(PromptValues.None))
                return Forbid(Errors.LoginRequired, "The user is not signed in.");
            // Back to this request after the login page, without prompt=login (which would loop forever).
            var parameters = request.GetParameters()
                .Where(p => p.Key != Parameters.Prompt)
                .Select(p => KeyValuePair.Create(p.Key, (string?)p.Value));
            var returnUrl = context.Request.PathBase + context.Request.Path + QueryString.Create(parameters);
            return Results.Challenge(new AuthenticationProperties { RedirectUri = returnUrl }, [LoginScheme]);
        }

        var name = login.Principal.FindFirstValue(Claims.Subject);
        if (!IdentitySettings.IsValidName(name))
            return Forbid(Errors.LoginRequired, "The signed-in user is not valid.");
        // First-party client: no consent screen, the requested (already permitted) scopes are granted.
        var identity = DemoUsers.CreateIdentity(name!);
        identity.SetScopes(request.GetScopes());
        SetAudience(identity, settings);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, Server);
    }

    private static async Task<IResult> TokenAsync(HttpContext context, IdentitySettings settings)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("OpenIddict did not handle the token request.");

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            // The code or refresh token was validated by OpenIddict; claims are rebuilt so they are always current.
            var granted = (await context.AuthenticateAsync(Server)).Principal;
            var name = granted?.GetClaim(Claims.Subject);
            if (granted is null || !IdentitySettings.IsValidName(name))
                return Forbid(Errors.InvalidGrant, "The token is no longer valid.");
            var identity = DemoUsers.CreateIdentity(name!);
            identity.SetScopes(granted.GetScopes());
            identity.SetResources(granted.GetResources());
            return Results.SignIn(new ClaimsPrincipal(identity), properties: null, Server);
        }

        if (request.GrantType == IdentitySettings.DemoUserGrantType)
            return DemoUserGrant(request, settings);

        return Forbid(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }

    /// <summary>
    /// The scripted grant (local only): an access token for any valid demo name, no password, no refresh or identity
    /// token. OpenIddict has already refused clients without the grant's permission; only <c>scripts</c> has it.
    /// </summary>
    private static IResult DemoUserGrant(OpenIddictRequest request, IdentitySettings settings)
    {
        if (request.ClientId != IdentitySettings.ScriptsClientId)
            return Forbid(Errors.UnauthorizedClient, "Only the scripts client may use this grant.");
        if (string.IsNullOrEmpty(request.Username))
            return Forbid(Errors.InvalidRequest, "The username parameter is required.");
        if (!IdentitySettings.IsValidName(request.Username))
            return Forbid(Errors.InvalidGrant, "The username must match ^[a-z][a-z0-9-]{1,31}$.");

        var identity = DemoUsers.CreateIdentity(request.Username);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        identity.SetScopes(settings.ApiScope);
        SetAudience(identity, settings);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, Server);
    }

    /// <summary>Ends the provider's own login session, then OpenIddict redirects to the validated post-logout URI.</summary>
    private static async Task<IResult> EndSessionAsync(HttpContext context)
    {
        await context.SignOutAsync(LoginScheme);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [Server]);
    }

    private static async Task<IResult> UserInfoAsync(HttpContext context)
    {
        var principal = (await context.AuthenticateAsync(Server)).Principal;
        var name = principal?.GetClaim(Claims.Subject);
        if (principal is null || !IdentitySettings.IsValidName(name))
            return Results.Challenge(properties: null, [Server]);
        return Results.Json(new Dictionary<string, object>
        {
            [Claims.Subject] = name!,
            [Claims.Name] = IdentitySettings.DisplayName(name!),
            [DemoUsers.RolesClaim] = DemoUsers.RolesOf(name!),
        });
    }

    /// <summary>The API scope makes the API the token's audience (<c>aud</c>), as Entra ID does for its scopes.</summary>
    private static void SetAudience(ClaimsIdentity identity, IdentitySettings settings)
    {
        if (identity.HasScope(settings.ApiScope))
            identity.SetResources(settings.Audience);
    }

    private static IResult Forbid(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [Server]);
}
