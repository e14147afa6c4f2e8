using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace DevIdentity.Tests;

/// <summary>
/// The provider in-process with a test web client (<c>https://web.test</c>) and its own secret. The refresh-token
/// reuse leeway is zero so "an already redeemed refresh token is refused" is deterministic (the default is 30 s).
/// </summary>
public sealed partial class DevIdentityFactory : WebApplicationFactory<Program>
{
    public const string WebClientSecret = "test-web-client-secret";
    public const string WebBase = "https://web.test";
    public const string RedirectUri = WebBase + "/signin-oidc";
    public const string PostLogoutUri = WebBase + "/signout-callback-oidc";
    public const string Audience = "api://daprreservations";
    public const string DemoGrant = "urn:daprreservations:grant-type:demo-user";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Identity:WebClient:ClientSecret", WebClientSecret);
        builder.UseSetting("Identity:WebClient:BaseUrls:0", WebBase);
        builder.ConfigureTestServices(services =>
            services.Configure<OpenIddictServerOptions>(options => options.RefreshTokenReuseLeeway = TimeSpan.Zero));
    }

    /// <summary>No automatic redirects (each hop is asserted), cookies kept like a browser's.</summary>
    public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
    });

    /// <summary>Validates a token the way a service's JwtBearer does: discovery, JWKS, issuer, audience, lifetime.</summary>
    public async Task<TokenValidationResult> ValidateAsync(string token, string audience = Audience)
    {
        var retriever = new HttpDocumentRetriever(CreateClient()) { RequireHttps = false };
        var manager = new ConfigurationManager<OpenIdConnectConfiguration>(
            new Uri(Server.BaseAddress, ".well-known/openid-configuration").AbsoluteUri,
            new OpenIdConnectConfigurationRetriever(), retriever);
        var configuration = await manager.GetConfigurationAsync(CancellationToken.None);
        var handler = new JsonWebTokenHandler { MapInboundClaims = false };
        return await handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = audience,
            IssuerSigningKeys = configuration.SigningKeys,
            NameClaimType = "name",
            RoleClaimType = "roles",
        });
    }

    public async Task<HttpResponseMessage> TokenAsync(HttpClient client, params (string Name, string Value)[] form) =>
        await client.PostAsync("/connect/token",
            new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Name, f.Value))));

    public async Task<HttpResponseMessage> DemoTokenAsync(string username, string clientId = "scripts") =>
        await TokenAsync(CreateClient(), ("grant_type", DemoGrant), ("client_id", clientId), ("username", username));

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>The JWT payload as JSON, to check the exact claim shapes (array vs string).</summary>
    public static JsonElement Payload(string jwt) =>
        JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.Split('.')[1])).RootElement;

    /// <summary>A hidden input's value from a rendered form.</summary>
    public static string Hidden(string html, string name)
    {
        var match = Regex.Match(html, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"");
        match.Success.Should().BeTrue($"the form has a hidden {name}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }
}
