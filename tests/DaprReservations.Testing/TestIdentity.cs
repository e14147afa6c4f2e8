using System.Net.Http.Headers;
using System.Security.Cryptography;
using DaprReservations.BuildingBlocks.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DaprReservations.Testing;

/// <summary>
/// Sign-in for tests that are not about the sign-in itself: an OpenID Connect authority in the test process (discovery
/// document and JWKS on a loopback port, an RSA key made per test run) and access tokens shaped like Entra ID's
/// (<c>sub</c>, <c>name</c>, <c>roles</c>, <c>scp</c>), minted here. Apps trust it exactly as they trust Entra ID or
/// tools/DevIdentity, through <c>Auth:Authority</c> (<see cref="Settings"/>): one code path, no shared key.
/// </summary>
public static class TestIdentity
{
    public const string Admin = "admin";
    public const string Audience = "api://daprreservations";

    private static readonly Lazy<Authority> Server = new(Authority.Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The issuer URL (<c>http://127.0.0.1:{port}/</c>); starts the authority on first use.</summary>
    public static string Issuer => Server.Value.Issuer;

    /// <summary>
    /// The <c>Auth</c> settings of an app that trusts this authority, as configuration keys (<c>Auth:…</c>), and the
    /// <c>SignIn</c> settings web needs to start (this authority has no login: browser tests use tools/DevIdentity).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Auth:Authority"] = Issuer,
        ["Auth:Audience"] = Audience,
        ["Auth:RequireHttpsMetadata"] = "false",
        ["SignIn:ClientId"] = "web",
        ["SignIn:ClientSecret"] = "test-web-client-secret",
        ["SignIn:ApiScope"] = AuthOptions.DefaultScope,
    };

    /// <summary>The same settings as environment variables (<c>Auth__…</c>) of an app process.</summary>
    public static IReadOnlyDictionary<string, string> Environment =>
        Settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);

    /// <summary>An in-process host (WebApplicationFactory) that trusts this authority.</summary>
    public static IWebHostBuilder UseTestIdentity(this IWebHostBuilder builder)
    {
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
        return builder;
    }

    /// <summary>The issuer Entra ID writes in v2 access tokens of <paramref name="tenant"/>.</summary>
    public static string EntraIssuer(string tenant) => $"https://login.microsoftonline.com/{tenant}/v2.0";

    /// <summary>
    /// Where this authority serves metadata shaped like Entra ID's for <paramref name="tenant"/>: an <c>Auth:Authority</c>
    /// whose tokens carry <see cref="EntraIssuer"/>.
    /// </summary>
    public static string EntraAuthority(string tenant) => $"{Issuer}{tenant}/v2.0";

    public static string Token(string subject, bool admin = false) => Mint(new TokenShape(subject, Roles: admin ? [Roles.Admin] : []));

    public static AuthenticationHeaderValue Bearer(string subject, bool admin = false) => new("Bearer", Token(subject, admin));

    /// <summary>Makes every request of <paramref name="client"/> carry the subject's token.</summary>
    public static HttpClient As(this HttpClient client, string subject, bool admin = false)
    {
        client.DefaultRequestHeaders.Authorization = Bearer(subject, admin);
        return client;
    }

    /// <summary>A token of any shape, signed with this authority's key unless <see cref="TokenShape.Key"/> says otherwise.</summary>
    public static string Mint(TokenShape shape)
    {
        var claims = new Dictionary<string, object> { [ClaimNames.Subject] = shape.Subject, [ClaimNames.Name] = shape.Subject };
        if (shape.Roles is { Length: > 0 } roles)
            claims[ClaimNames.Roles] = roles;
        if (shape.Scope is { } scope)
            claims[ClaimNames.EntraScopes] = scope;
        foreach (var (name, value) in shape.Extra ?? new Dictionary<string, object>())
            claims[name] = value;
        // An expired token (negative lifetime) was issued ten minutes before it ran out.
        var lifetime = shape.Lifetime ?? TimeSpan.FromHours(1);
        var expires = DateTime.UtcNow + lifetime;
        var issued = lifetime > TimeSpan.Zero ? DateTime.UtcNow : expires - TimeSpan.FromMinutes(10);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = shape.Issuer ?? Issuer,
            Audience = shape.Audience ?? Audience,
            Claims = claims,
            IssuedAt = issued,
            NotBefore = issued.AddSeconds(-5),
            Expires = expires,
            SigningCredentials = new SigningCredentials(shape.Key ?? Server.Value.Key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>A key this authority does not publish (a forger's).</summary>
    public static RsaSecurityKey ForeignKey() => new(RSA.Create(2048)) { KeyId = "foreign" };

    /// <summary>The discovery document and JWKS, served until the test process ends.</summary>
    private sealed class Authority
    {
        public required string Issuer { get; init; }

        public required RsaSecurityKey Key { get; init; }

        public static Authority Start()
        {
            var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            string? issuer = null;
            app.MapGet("/.well-known/openid-configuration", () => Discovery(issuer!, issuer!));
            // Entra ID's shape: the metadata of https://login.microsoftonline.com/{tenant}/v2.0 names that issuer,
            // whatever address it was fetched from, and the services compare tokens with the named issuer.
            app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) => Discovery(EntraIssuer(tenant), issuer!));
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.Rsa.ExportParameters(false)) { KeyId = key.KeyId });
            app.MapGet("/jwks", () => Results.Json(new { keys = new[] { new { kty = jwk.Kty, use = "sig", alg = SecurityAlgorithms.RsaSha256, kid = jwk.Kid, n = jwk.N, e = jwk.E } } }));
            app.StartAsync().GetAwaiter().GetResult();
            issuer = app.Urls.Single().TrimEnd('/') + "/";
            return new Authority { Issuer = issuer, Key = key };
        }

        private static IResult Discovery(string issuer, string baseUrl) => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer,
            ["jwks_uri"] = baseUrl + "jwks",
            ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256 },
        });
    }
}

/// <summary>
/// What <see cref="TestIdentity.Mint"/> writes. Defaults: this authority's issuer and key, the API audience, the
/// API scope in <c>scp</c> as Entra writes it, one hour of life (negative: expired that long ago); <c>Extra</c> claims
/// are added or override.
/// </summary>
public sealed record TokenShape(
    string Subject,
    string[]? Roles = null,
    string? Scope = AuthOptions.DefaultScope,
    string? Issuer = null,
    string? Audience = null,
    TimeSpan? Lifetime = null,
    SecurityKey? Key = null,
    IReadOnlyDictionary<string, object>? Extra = null);
