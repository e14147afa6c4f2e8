using DevIdentity;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.Tokens;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

// tools/DevIdentity: the local OpenID Connect provider (README.md). Entra ID plays this role on Azure.
var builder = WebApplication.CreateBuilder(args);

// Settings are read when first needed, after every configuration source (tests' included) has been added.
builder.Services.AddSingleton(sp => IdentitySettings.From(sp.GetRequiredService<IConfiguration>()));
builder.Services.AddSingleton<InMemoryDatabase>();
builder.Services.AddDbContext<DevIdentityDbContext>((sp, options) =>
{
    options.UseSqlite(sp.GetRequiredService<InMemoryDatabase>().ConnectionString);
    options.UseOpenIddict();
});

// Per-run keys everywhere: a restart forgets every session, code and token, which is what a local provider wants.
builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
builder.Services.AddAntiforgery(options => options.Cookie.Name = "dr.identity.af");
builder.Services.AddAuthentication(ConnectEndpoints.LoginScheme).AddCookie(ConnectEndpoints.LoginScheme, options =>
{
    options.Cookie.Name = "dr.identity";
    options.Cookie.HttpOnly = true;
    options.Cookie.SameSite = SameSiteMode.Lax; // the web app's redirect to /connect/authorize is a top-level GET
    options.LoginPath = LoginPage.Path;
    options.ExpireTimeSpan = TimeSpan.FromHours(8);
    options.SlidingExpiration = true;
});
builder.Services.AddHealthChecks();

builder.Services.AddOpenIddict()
    .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<DevIdentityDbContext>())
    .AddServer(options =>
    {
        options.SetAuthorizationEndpointUris("/connect/authorize")
            .SetTokenEndpointUris("/connect/token")
            .SetEndSessionEndpointUris("/connect/endsession")
            .SetRevocationEndpointUris("/connect/revoke")
            .SetUserInfoEndpointUris("/connect/userinfo");
        options.AllowAuthorizationCodeFlow()
            .AllowRefreshTokenFlow()
            .AllowCustomFlow(IdentitySettings.DemoUserGrantType)
            .RequireProofKeyForCodeExchange();
        options.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.OfflineAccess);
        options.RegisterClaims(Claims.Subject, Claims.Name, DemoUsers.RolesClaim);
        // Per-run keys made here rather than by AddEphemeral*Key: OpenIddict 7 makes 4096-bit RSA keys, seconds of CPU
        // per start (every test host starts one). RSA 2048 is what Entra ID signs with; OpenIddict's own tokens
        // (codes, refresh tokens) only need a symmetric key, since nobody else ever decrypts them.
        options.AddSigningKey(new RsaSecurityKey(RSA.Create(2048)));
        options.AddEncryptionKey(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)));
        // Access tokens are plain RS256 JWTs the services validate through discovery and JWKS, as Entra ID's.
        options.DisableAccessTokenEncryption();
        options.UseAspNetCore()
            .EnableAuthorizationEndpointPassthrough()
            .EnableTokenEndpointPassthrough()
            .EnableEndSessionEndpointPassthrough()
            .EnableUserInfoEndpointPassthrough()
            // Plain http on loopback: allowed only because this provider refuses to run outside Development.
            .DisableTransportSecurityRequirement();
    });
// Values that come from configuration are applied when the options are first built (see AddSingleton above).
builder.Services.AddOptions<OpenIddictServerOptions>().Configure<IdentitySettings>((options, settings) =>
{
    options.Scopes.Add(settings.ApiScope);
    options.AccessTokenLifetime = settings.AccessTokenLifetime;
    options.RefreshTokenLifetime = settings.RefreshTokenLifetime;
    options.Issuer = settings.Issuer;
});

var app = builder.Build();

// Development only, checked on the built app so tests' settings count: without transport security or passwords
// this must never serve a real deployment by accident.
if (!app.Environment.IsDevelopment() && !app.Configuration.GetValue<bool>("Identity:AllowNonDevelopment"))
{
    throw new InvalidOperationException(
        $"DevIdentity runs only with ASPNETCORE_ENVIRONMENT=Development (now '{app.Environment.EnvironmentName}'), " +
        "or with Identity:AllowNonDevelopment=true for tests. Production uses Entra ID.");
}

await ClientRegistration.SeedAsync(app.Services);

app.UseSecurityHeaders();
app.UseAuthentication();
app.MapHealthChecks("/healthz");
app.MapConnectEndpoints();
app.MapLoginPage();
await app.RunAsync();

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
