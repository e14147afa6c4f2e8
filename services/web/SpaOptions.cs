namespace Web;

/// <summary>What the single-page app is told at start (section <c>Spa</c>), served as <c>GET /config</c>.</summary>
public sealed class SpaOptions
{
    public const string SectionName = "Spa";

    /// <summary>Customers offered on the development sign-in screen (any lower-case name is accepted).</summary>
    public string[] DemoCustomers { get; set; } = [];

    /// <summary>Microsoft Entra ID sign-in for production (MSAL.js settings), used when no development key is set.</summary>
    public EntraSignIn Entra { get; set; } = new();
}

/// <summary>
/// The SPA's app registration: <c>ClientId</c> of the SPA registration, <c>Authority</c>
/// (<c>https://login.microsoftonline.com/{tenant}</c>), <c>Scopes</c> of the API registration whose audience the
/// services validate (e.g. <c>api://daprreservations/access_as_user</c>), and the <c>RedirectUri</c> of the site.
/// </summary>
public sealed class EntraSignIn
{
    public string ClientId { get; set; } = "";
    public string Authority { get; set; } = "";
    public string[] Scopes { get; set; } = [];
    public string RedirectUri { get; set; } = "";
}
