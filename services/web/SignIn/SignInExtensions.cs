using DaprReservations.BuildingBlocks.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Web.SignIn;

/// <summary>
/// The web app as backend-for-frontend: OpenID Connect authorization code + PKCE on the server, an HttpOnly cookie
/// that names a server-side session (<see cref="SessionStore"/>), the tokens kept and refreshed there
/// (<see cref="SessionTokens"/>), antiforgery on every state-changing call. The browser never sees a token. Scripts
/// and tests that send their own <c>Authorization: Bearer</c> keep working: that header selects the JWT scheme.
/// </summary>
public static class SignInExtensions
{
    public const string Scheme = "bff";
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    public static WebApplicationBuilder AddBffSignIn(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<SignInOptions>().BindConfiguration(SignInOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SignInOptions>, SignInOptionsValidator>();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<SessionTokens>();

        // One key ring for every replica, so any of them reads any session cookie and antiforgery token.
        builder.Services.AddDataProtection().SetApplicationName("daprreservations-web");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = ActivatorUtilities.CreateInstance<DaprKeyRing>(sp)));

        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = Scheme;
                o.DefaultChallengeScheme = Scheme;
            })
            .AddPolicyScheme(Scheme, "Session cookie, or a bearer token a script sent", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count > 0 ? JwtBearerDefaults.AuthenticationScheme : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie()
            .AddOpenIdConnect();

        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<SessionStore, SessionTokens, IOptions<SignInOptions>>((cookie, store, tokens, signIn) =>
            {
                // __Host-: only this origin over TLS may set it; plain http (local runs) cannot carry the prefix.
                cookie.Cookie.Name = development ? "dr.session" : "__Host-dr.session";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax; // the provider's redirect back is a top-level GET
                cookie.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                cookie.Cookie.Path = "/";
                cookie.SessionStore = store;
                cookie.ExpireTimeSpan = signIn.Value.SessionIdleTimeout;
                cookie.SlidingExpiration = true;
                cookie.Events.OnValidatePrincipal = tokens.ValidateAsync;
                // An API caller without a session gets a status, never a redirect to a login page.
                cookie.Events.OnRedirectToLogin = context => Status(context.Response, StatusCodes.Status401Unauthorized);
                cookie.Events.OnRedirectToAccessDenied = context => Status(context.Response, StatusCodes.Status403Forbidden);
            });

        builder.Services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, IOptions<SignInOptions>>((oidc, auth, signIn) =>
                ConfigureOpenIdConnect(oidc, auth.Value, signIn.Value, development));

        builder.Services.AddAntiforgery(o =>
        {
            o.HeaderName = AntiforgeryHeader;
            o.Cookie.Name = development ? "dr.af" : "__Host-dr.af";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });
        return builder;
    }

    private static void ConfigureOpenIdConnect(OpenIdConnectOptions oidc, AuthOptions auth, SignInOptions signIn, bool development)
    {
        oidc.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        oidc.Authority = auth.Authority;
        oidc.RequireHttpsMetadata = auth.RequireHttpsMetadata;
        oidc.ClientId = signIn.ClientId;
        oidc.ClientSecret = signIn.ClientSecret;
        oidc.ResponseType = "code";
        oidc.UsePkce = true;
        // The code comes back in the query of a top-level GET, so the correlation cookies can stay SameSite=Lax
        // (form_post would need SameSite=None, which needs TLS even locally).
        oidc.ResponseMode = "query";
        oidc.SaveTokens = true;
        oidc.MapInboundClaims = false;
        oidc.GetClaimsFromUserInfoEndpoint = false;
        oidc.Scope.Clear();
        foreach (var scope in new[] { "openid", "profile", "offline_access", signIn.ApiScope })
            oidc.Scope.Add(scope);
        oidc.TokenValidationParameters.NameClaimType = ClaimNames.Name;
        oidc.TokenValidationParameters.RoleClaimType = ClaimNames.Roles;
        oidc.CallbackPath = "/signin-oidc";
        oidc.SignedOutCallbackPath = "/signout-callback-oidc";
        oidc.SignedOutRedirectUri = "/";
        foreach (var cookie in new[] { oidc.CorrelationCookie, oidc.NonceCookie })
        {
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        }

        oidc.Events.OnTokenValidated = CopyApiRoles;
        oidc.Events.OnRemoteFailure = context =>
        {
            // A refused or tampered callback (user cancelled, stale state, bad code): back to the app, not a 500.
            context.HandleResponse();
            context.Response.Redirect("/?signin=failed");
            return Task.CompletedTask;
        };
    }

    /// <summary>
    /// Admin is an app role of the API, so Entra ID writes it into the access token, not the ID token: the session's
    /// principal takes the roles from the access token the token endpoint just returned (over TLS, to this client),
    /// only to show the right screens. The services decide on the token itself.
    /// </summary>
    private static Task CopyApiRoles(Microsoft.AspNetCore.Authentication.OpenIdConnect.TokenValidatedContext context)
    {
        if (context.TokenEndpointResponse?.AccessToken is not { } accessToken || context.Principal?.Identity is not System.Security.Claims.ClaimsIdentity identity)
            return Task.CompletedTask;
        var handler = new JsonWebTokenHandler();
        if (!handler.CanReadToken(accessToken))
            return Task.CompletedTask;
        foreach (var role in handler.ReadJsonWebToken(accessToken).Claims.Where(c => c.Type == ClaimNames.Roles))
        {
            if (!identity.HasClaim(ClaimNames.Roles, role.Value))
                identity.AddClaim(new System.Security.Claims.Claim(ClaimNames.Roles, role.Value));
        }

        return Task.CompletedTask;
    }

    private static Task Status(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }
}
