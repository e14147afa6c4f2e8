using System.Text.RegularExpressions;

namespace DevIdentity;

/// <summary>
/// The <c>Identity</c> configuration section (names settled in the P8 brief). Read through <see cref="From"/> rather
/// than the options binder: the binder appends configured array items to an initialised default list instead of
/// replacing it, so defaults are applied only where nothing is configured.
/// </summary>
public sealed partial record IdentitySettings
{
    public const string Section = "Identity";

    /// <summary>The one user with the admin role (an Entra app role of the same value in production).</summary>
    public const string AdminName = "admin";
    public const string AdminRole = "admin";

    /// <summary>The scripted client and its grant: exist only in this provider, never in Entra ID.</summary>
    public const string ScriptsClientId = "scripts";
    public const string DemoUserGrantType = "urn:daprreservations:grant-type:demo-user";

    public required string WebClientId { get; init; }
    public required string WebClientSecret { get; init; }
    public required IReadOnlyList<Uri> WebBaseUrls { get; init; }
    public required string Audience { get; init; }
    public required string ApiScope { get; init; }
    public required IReadOnlyList<string> DemoCustomers { get; init; }
    public required TimeSpan AccessTokenLifetime { get; init; }
    public required TimeSpan RefreshTokenLifetime { get; init; }

    /// <summary>Optional fixed issuer; by default OpenIddict takes it from the request (<c>http://host:port/</c>).</summary>
    public Uri? Issuer { get; init; }

    public static IdentitySettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var baseUrls = section.GetSection("WebClient:BaseUrls").Get<string[]>() is { Length: > 0 } configured
            ? configured
            : ["http://127.0.0.1:5100", "http://localhost:5100"];
        var secret = section["WebClient:ClientSecret"];
        if (string.IsNullOrWhiteSpace(secret))
            throw new InvalidOperationException("Identity:WebClient:ClientSecret is required (dapr.yaml sets it).");
        var customers = section.GetSection("DemoCustomers").Get<string[]>() is { Length: > 0 } names
            ? names
            : ["alice", "bob", "carol"];
        foreach (var name in customers.Append(AdminName))
        {
            if (!IsValidName(name))
                throw new InvalidOperationException($"Identity:DemoCustomers: '{name}' is not a valid user name.");
        }
        return new IdentitySettings
        {
            WebClientId = section["WebClient:ClientId"] is { Length: > 0 } id ? id : "web",
            WebClientSecret = secret,
            WebBaseUrls = baseUrls.Select(ParseBaseUrl).ToArray(),
            Audience = section["Audience"] is { Length: > 0 } audience ? audience : "api://daprreservations",
            ApiScope = section["ApiScope"] is { Length: > 0 } scope ? scope : "access_as_user",
            DemoCustomers = customers.Where(name => name != AdminName).Distinct().ToArray(),
            AccessTokenLifetime = section.GetValue("AccessTokenLifetime", TimeSpan.FromMinutes(15)),
            RefreshTokenLifetime = section.GetValue("RefreshTokenLifetime", TimeSpan.FromHours(8)),
            Issuer = section["Issuer"] is { Length: > 0 } issuer ? new Uri(issuer, UriKind.Absolute) : null,
        };
    }

    /// <summary>The web client's redirect URIs: <c>{base}/signin-oidc</c> for every base URL.</summary>
    public IEnumerable<Uri> RedirectUris => WebBaseUrls.Select(b => new Uri(b, "signin-oidc"));

    /// <summary>Where end session may return: <c>{base}/signout-callback-oidc</c> and <c>{base}/</c>.</summary>
    public IEnumerable<Uri> PostLogoutRedirectUris =>
        WebBaseUrls.SelectMany(b => new[] { new Uri(b, "signout-callback-oidc"), b });

    /// <summary>Same rule as the services' demo users: lowercase, starts with a letter, 2 to 32 characters.</summary>
    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    /// <summary>The display name (<c>name</c> claim): the user name capitalised.</summary>
    public static string DisplayName(string name) => char.ToUpperInvariant(name[0]) + name[1..];

    [GeneratedRegex("^[a-z][a-z0-9-]{1,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    // A trailing slash makes `new Uri(base, "signin-oidc")` append instead of replacing the last path segment.
    private static Uri ParseBaseUrl(string value)
    {
        var uri = new Uri(value, UriKind.Absolute);
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }
}
